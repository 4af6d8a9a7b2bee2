import { SetMetadata } from '@nestjs/common';
import type { JobName } from './queue.constants.js';

export const ON_JOB_METADATA = 'quorum:on-job';

/** Marks a provider method as the handler of one job; the worker checks each job has exactly one. */
export const OnJob = (name: JobName): MethodDecorator => SetMetadata(ON_JOB_METADATA, name);

export type JobOutcome = 'done' | 'skipped';
