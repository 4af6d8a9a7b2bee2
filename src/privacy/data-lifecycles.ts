import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { TABLE_OWNERS, type OwnedTable } from '../infra/prisma/table-owners.js';
import { DATA_LIFECYCLE, type DataLifecycle } from './data-lifecycle.js';

/** Tables a lifecycle must not leave out is every owned table; this checks one covers each, by its owner. */
export function coverageProblems(lifecycles: readonly Pick<DataLifecycle, 'domain' | 'tables'>[]): string[] {
  const problems: string[] = [];
  const covered = new Map<string, string>();
  for (const l of lifecycles) {
    for (const table of l.tables) {
      if (TABLE_OWNERS[table] !== l.domain) problems.push(`${l.domain} declares ${table}, owned by ${TABLE_OWNERS[table]}`);
      if (covered.has(table)) problems.push(`${table} declared twice`);
      covered.set(table, l.domain);
    }
  }
  for (const table of Object.keys(TABLE_OWNERS) as OwnedTable[]) if (!covered.has(table)) problems.push(`${table} (${TABLE_OWNERS[table]}) has no lifecycle`);
  return problems;
}

/** The domains' erasure/retention implementations, found at boot (`@DataLifecycleProvider()`), in erasure order. */
@Injectable()
export class DataLifecycles implements OnModuleInit {
  private list: DataLifecycle[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const found = this.discovery
      .getProviders()
      .filter((w) => w.metatype && w.instance && this.reflector.get<boolean>(DATA_LIFECYCLE, w.metatype as new (...args: never[]) => unknown))
      .map((w) => w.instance as DataLifecycle);
    const unique = [...new Set(found)];
    const problems = coverageProblems(unique);
    if (problems.length > 0) throw new Error(`Data lifecycle contract incomplete: ${problems.join('; ')}`);
    this.list = unique.sort((a, b) => a.stage - b.stage || a.domain.localeCompare(b.domain));
  }

  all(): readonly DataLifecycle[] {
    return this.list;
  }
}
