import { AGENT_RECORD_KEY } from '../../agents/agent-jwt.authenticator.js';
import type { AgentRecord } from '../../agents/agent.types.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { PRINCIPAL_KEY, type Principal } from '../../common/auth/principal.js';
import type { Audience } from './tiers.js';

/** The audience of an authenticated request (the guard attached the principal, and for agents the
 * agent record it re-read, which carries `last_signal_at`). */
export function audienceOf(request: unknown): Audience {
  const fields = request as Record<string, unknown>;
  const principal = fields[PRINCIPAL_KEY] as Principal | undefined;
  if (principal?.kind === 'apiKey') return { kind: 'apiKey' };
  if (principal?.kind === 'agent') {
    const agent = fields[AGENT_RECORD_KEY] as AgentRecord | undefined;
    return { kind: 'agent', lastSignalAt: agent?.lastSignalAt ?? null };
  }
  throw DomainError.forbidden('Blocklists are served to agents and API keys');
}
