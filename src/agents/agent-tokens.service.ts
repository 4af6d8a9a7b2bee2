import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';

/**
 * Keyed to the agent only: its organisation is read at request time, so console enrollment, an
 * organisation move or a re-enroll never invalidates a live session. `exp` is always set, and the
 * verifier refuses a token without it (src/agents/agent-jwt.authenticator.ts).
 */
export interface AgentTokenClaims {
  sub: string;
  typ: 'agent';
  jti: string;
  iat?: number;
  exp?: number;
}

export interface IssuedAgentToken {
  token: string;
  expiresAt: Date;
}

export const AGENT_TOKEN_AUDIENCE = 'quorum-agent';
export const AGENT_TOKEN_ISSUER = 'quorum';

/** Short-lived HS256 JWTs for agents (lifetime from config, `exp` always set). */
@Injectable()
export class AgentTokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  issue(agentId: string): IssuedAgentToken {
    const nowSeconds = Math.floor(this.clock.nowMs() / 1000);
    const exp = nowSeconds + this.config.auth.jwtTtlSeconds;
    const claims: AgentTokenClaims & { iat: number; exp: number } = {
      sub: agentId,
      typ: 'agent',
      jti: randomUUID(),
      iat: nowSeconds,
      exp,
    };
    const token = this.jwt.sign(claims, { secret: this.config.auth.jwtSecret, algorithm: 'HS256', audience: AGENT_TOKEN_AUDIENCE, issuer: AGENT_TOKEN_ISSUER });
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
