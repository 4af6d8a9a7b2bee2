import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { ON_JOB_METADATA, type JobOutcome } from './on-job.decorator.js';
import { JobName } from './queue.constants.js';

type Handler = (data: unknown, job: Job) => Promise<JobOutcome>;

export class JobRegistryError extends Error {}

/** Collects @OnJob handlers and fails the boot when a declared job has none or several. */
@Injectable()
export class JobRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('JobRegistry');
  private readonly handlers = new Map<string, Handler>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const found = new Map<string, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const fn = instance[method];
        if (typeof fn !== 'function') continue;
        const name = this.reflector.get<string | undefined>(ON_JOB_METADATA, fn as () => unknown);
        if (!name) continue;
        const owners = found.get(name) ?? [];
        owners.push(`${instance.constructor.name}.${method}`);
        found.set(name, owners);
        this.handlers.set(name, (fn as Handler).bind(instance));
      }
    }
    this.validate(found);
  }

  validate(found: Map<string, string[]>): void {
    const problems: string[] = [];
    for (const name of Object.values(JobName)) {
      const owners = found.get(name) ?? [];
      if (owners.length === 0) problems.push(`job "${name}" has no handler`);
      if (owners.length > 1) problems.push(`job "${name}" has ${owners.length} handlers: ${owners.join(', ')}`);
    }
    for (const name of found.keys()) {
      if (!(Object.values(JobName) as string[]).includes(name)) problems.push(`handler for undeclared job "${name}"`);
    }
    if (problems.length > 0) throw new JobRegistryError(`Job registry invalid: ${problems.join('; ')}`);
    this.logger.log(`${found.size} job handlers registered`);
  }

  async dispatch(job: Job): Promise<JobOutcome> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new JobRegistryError(`no handler for job "${job.name}"`);
    return handler(job.data, job);
  }
}
