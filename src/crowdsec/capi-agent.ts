import { AGENT_RECORD_KEY } from '../agents/agent-jwt.authenticator.js';
import type { AgentRecord } from '../agents/agent.types.js';
import { DomainError } from '../common/errors/domain-error.js';

/** The authenticated watcher; native agents keep their signed endpoints and cannot use CAPI ones. */
export function capiAgent(request: unknown): AgentRecord {
  const agent = (request as Record<string, AgentRecord | undefined>)[AGENT_RECORD_KEY];
  if (!agent) throw DomainError.unauthorized('Missing or invalid credentials');
  if (agent.kind !== 'crowdsec') throw DomainError.forbidden('Only CrowdSec watchers may use the CrowdSec API');
  return agent;
}

/** Go parses `expire` with time.UnmarshalText: RFC 3339, here without fractional seconds. */
export function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
