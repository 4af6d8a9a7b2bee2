import { NestFactory } from '@nestjs/core';
import { OperatorAuthService } from '../admin/operator-auth.service.js';
import type { OperatorRoleName } from '../admin/operators.repository.js';
import { AgentsService } from '../agents/agents.service.js';
import { OrganizationsService } from '../agents/organizations.service.js';
import { AuditService } from '../audit/audit.service.js';
import { NeverListService } from '../consensus/never-list/never-list.service.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { loadConfigFromProcess } from '../config/app-config.js';
import { AdminCliModule } from './admin-cli.module.js';
import { option } from './cli-options.js';

export const ADMIN_USAGE = `  org create <name>                          create an organisation and print an enrollment key (shown once)
  org kind <id> <customer|community|internal> --reason R   change an organisation's kind (audited; internal vouches for its fleet)
  operator create <email> <admin|billing|support> [--password P] [--organization ID]   create an operator (password shown once); staff without --organization
  agents revoke <agent-id>                   revoke an agent
  audit verify                               check the audit log hash chain
  never-list import <file> --category C --source S [--service SVC]   import a provider range file (JSON or one CIDR per line)
  canary add <cidr> [--note N]               add a dark canary (secret: any report of it quarantines the reporter)`;

/** Operator commands: `quorum org|operator|agents|audit ...`. */
export async function runAdmin(command: string, args: string[]): Promise<number> {
  const config = loadConfigFromProcess();
  const app = await NestFactory.createApplicationContext(AdminCliModule.forRoot(config, createRootLogger('warn')), { logger: false });
  try {
    const out = (line: string) => process.stdout.write(`${line}\n`);
    const [verb, ...rest] = args;
    if (command === 'org' && verb === 'create' && rest[0]) {
      const organizations = app.get(OrganizationsService);
      const org = await organizations.create(rest[0]);
      const { key } = await organizations.createEnrollmentKey(org.id, 'created by quorum org create');
      out(`organization ${org.id}\nenrollment key ${key}   (shown once)`);
      return 0;
    }
    if (command === 'org' && verb === 'kind' && rest[0] && ['customer', 'community', 'internal'].includes(rest[1] ?? '') && option(rest, '--reason')) {
      await app.get(OrganizationsService).setKind(rest[0], rest[1] as 'customer' | 'community' | 'internal', 'cli', option(rest, '--reason') ?? '');
      out(`organization ${rest[0]} is now ${rest[1]} (effective at the next scoring run)`);
      return 0;
    }
    if (command === 'operator' && verb === 'create' && rest[0] && ['admin', 'billing', 'support'].includes(rest[1] ?? '')) {
      const created = await app.get(OperatorAuthService).createOperator(rest[0], rest[1] as OperatorRoleName, option(rest, '--password'), option(rest, '--organization') ?? null);
      out(`operator ${created.operator.id} ${created.operator.email} (${created.operator.role})\npassword ${created.password}   (shown once)`);
      return 0;
    }
    if (command === 'agents' && verb === 'revoke' && rest[0]) {
      const agent = await app.get(AgentsService).revoke(rest[0], 'cli');
      out(`agent ${agent.id} revoked`);
      return 0;
    }
    if (command === 'never-list' && verb === 'import' && rest[0] && option(rest, '--category') && option(rest, '--source')) {
      const result = await app.get(NeverListService).importFile(rest[0], option(rest, '--category') as string, option(rest, '--source') as string, option(rest, '--service'));
      out(`never-list source ${option(rest, '--source')}: ${result.added} ranges (replaced ${result.removed}); ${result.invalid.length} invalid lines skipped`);
      return 0;
    }
    if (command === 'canary' && verb === 'add' && rest[0]) {
      await app.get(NeverListService).addCanary(rest[0], option(rest, '--note') ?? null);
      out('canary added');
      return 0;
    }
    if (command === 'audit' && verb === 'verify') {
      const result = await app.get(AuditService).verify();
      out(result.ok ? `audit log intact (${result.checked} entries)` : `audit log TAMPERED at entry ${result.brokenAt} (after ${result.checked} good entries)`);
      return result.ok ? 0 : 3;
    }
    process.stderr.write(`Usage:\n${ADMIN_USAGE}\n`);
    return 2;
  } finally {
    await app.close();
  }
}
