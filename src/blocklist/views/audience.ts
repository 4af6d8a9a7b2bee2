import { DomainError } from '../../common/errors/domain-error.js';
import type { Principal } from '../../common/auth/principal.js';
import type { Audience } from './tiers.js';

/** The audience of an authenticated caller (the principal the guard set; for agents it carries the
 * `last_signal_at` of the agent record the authenticator re-read). */
export function audienceOf(principal: Principal): Audience {
  if (principal.kind === 'apiKey') return { kind: 'apiKey' };
  if (principal.kind === 'agent') return { kind: 'agent', lastSignalAt: principal.lastSignalAt ?? null };
  throw DomainError.forbidden('Blocklists are served to agents and API keys');
}
