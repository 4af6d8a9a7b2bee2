import { createSecretKey } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ExtractJwt, Strategy, type VerifiedCallback } from 'passport-jwt';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import type { Authenticator, Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { AGENT_TOKEN_AUDIENCE, AGENT_TOKEN_ISSUER, type AgentTokenClaims } from './agent-tokens.service.js';
import type { AgentRecord } from './agent.types.js';
import { AgentsRepository } from './agents.repository.js';

export const AGENT_RECORD_KEY = 'quorumAgent';

type StrategyOutcome = { user: AgentRecord } | { failure: string } | { error: unknown };

/**
 * Agent bearer tokens, verified by passport-jwt. Each request re-reads the agent, so a revoked or
 * quarantined agent is refused at once even with a token that has not expired, and the principal
 * carries the organisation the agent is in now (tokens name the agent only).
 */
@Injectable()
export class AgentJwtAuthenticator implements Authenticator, OnModuleInit {
  readonly kind = 'agent' as const;
  private readonly strategy: Strategy;

  constructor(
    private readonly registry: AuthenticatorRegistry,
    private readonly agents: AgentsRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.strategy = new Strategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        // A KeyObject, so jsonwebtoken does not rebuild a key from the string on every request.
        secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
        algorithms: ['HS256'],
        audience: AGENT_TOKEN_AUDIENCE,
        issuer: AGENT_TOKEN_ISSUER,
        jsonWebTokenOptions: { clockTolerance: 5 },
      },
      (claims: AgentTokenClaims, done: VerifiedCallback) => {
        this.verify(claims).then(
          (agent) => done(null, agent),
          (error: unknown) => done(error, false),
        );
      },
    );
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  private async verify(claims: AgentTokenClaims): Promise<AgentRecord> {
    if (claims.typ !== 'agent' || typeof claims.sub !== 'string') throw DomainError.unauthorized('Not an agent token', ErrorCode.InvalidToken);
    // jsonwebtoken checks `exp` only when present: a token without one would never expire.
    if (typeof claims.exp !== 'number') throw DomainError.unauthorized('Agent tokens must carry exp', ErrorCode.InvalidToken);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(claims.sub)) throw DomainError.unauthorized('Unknown agent', ErrorCode.InvalidToken);
    // The organisation is the agent's current one (read here, per request), never a claim.
    const agent = await this.agents.findById(claims.sub);
    if (!agent) throw DomainError.unauthorized('Unknown agent', ErrorCode.InvalidToken);
    if (agent.status !== 'active') throw DomainError.unauthorized(`Agent is ${agent.status}`, ErrorCode.InvalidToken);
    return agent;
  }

  async authenticate(request: Record<string, unknown>): Promise<Principal | null> {
    const header = (request.headers as Record<string, string | undefined>).authorization;
    if (!header || !/^bearer\s/i.test(header)) return null;
    const outcome = await this.run(request);
    if ('error' in outcome) {
      if (outcome.error instanceof DomainError) throw outcome.error;
      throw DomainError.unavailable('Cannot verify the agent right now');
    }
    if ('failure' in outcome) throw DomainError.unauthorized(`Invalid token: ${outcome.failure}`, ErrorCode.InvalidToken);
    request[AGENT_RECORD_KEY] = outcome.user;
    const agent = outcome.user;
    return { kind: 'agent', agentId: agent.id, organizationId: agent.organizationId, agentKind: agent.kind, lastSignalAt: agent.lastSignalAt };
  }

  /** Runs the passport strategy once, the way passport does, without the express middleware. */
  private run(request: unknown): Promise<StrategyOutcome> {
    return new Promise((resolve) => {
      const attempt = Object.create(this.strategy) as Strategy & {
        success(user: AgentRecord): void;
        fail(challenge?: unknown): void;
        error(error: unknown): void;
      };
      attempt.success = (user) => resolve({ user });
      attempt.fail = (challenge) => resolve({ failure: challenge instanceof Error ? challenge.message : String(challenge ?? 'rejected') });
      attempt.error = (error) => resolve({ error });
      attempt.authenticate(request as never, {});
    });
  }
}
