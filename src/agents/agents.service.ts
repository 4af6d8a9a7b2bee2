import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ed25519PublicKeyToBase64, parseEd25519PublicKey, verifyEd25519 } from '../common/crypto/ed25519.js';
import { hashPassword, verifyPassword } from '../common/crypto/password.js';
import { hashToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import { NonceStore } from '../common/rate-limit/nonce-store.service.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import { Clock } from '../infra/clock/clock.js';
import { AuditService } from '../audit/audit.service.js';
import { AgentTokensService, type IssuedAgentToken } from './agent-tokens.service.js';
import type { AgentRecord, EnrollmentCaps } from './agent.types.js';
import { AgentsRepository } from './agents.repository.js';
import type { EnrollAgentDto } from './dto/enroll-agent.dto.js';
import type { AgentLoginDto } from './dto/login.dto.js';
import type { RotateKeyDto } from './dto/rotate-key.dto.js';
import { loginMessage, parseTimestamp, rotateMessage } from './signed-messages.js';

const DAY_MS = 86_400_000;
const LOGIN_NONCE_TTL_MS = 15 * 60_000;

@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly tokens: AgentTokensService,
    private readonly network: NetworkIdentityService,
    private readonly limiter: RateLimiterService,
    private readonly nonces: NonceStore,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enroll(input: EnrollAgentDto, sourceAddress: string): Promise<AgentRecord> {
    const key = parseEd25519PublicKey(input.public_key);
    if (!key) throw new DomainError('invalid_public_key', 'public_key must be an Ed25519 public key (base64 of 32 bytes, or PEM)');
    const now = this.clock.now();
    let target: { organizationId: string } | { communityOrganizationName: string };
    if (input.enroll_key) {
      const organizationId = await this.agents.findOrganizationByEnrollmentKeyHash(hashToken(input.enroll_key), now);
      if (!organizationId) throw new DomainError('invalid_enroll_key', 'Unknown, revoked or expired enrollment key');
      target = { organizationId };
    } else {
      if (!this.config.agents.openRegistration) {
        throw new DomainError('enroll_key_required', 'This Quorum requires an enrollment key to register agents');
      }
      target = { communityOrganizationName: `community: ${input.name}` };
    }
    const identity = this.network.identify(sourceAddress);
    const result = await this.agents.createWithinCaps(
      {
        kind: 'quorum',
        name: input.name,
        publicKey: ed25519PublicKeyToBase64(key),
        tags: input.tags ?? [],
        scenarios: input.scenarios ?? [],
        networkPseudonym: identity.network,
        egressPseudonym: identity.egress,
        asn: identity.asn,
        country: identity.country,
      },
      target,
      this.enrollmentCaps(),
      now,
    );
    if ('cap' in result) {
      const what = result.cap === 'network' ? 'from this network (/24 or /48)' : 'for this organisation';
      throw DomainError.tooManyRequests(`Too many agents enrolled ${what} in the last 24 hours`, result.retryAfterMs / 1000, 'enrollment_limited');
    }
    return result;
  }

  /**
   * Registers a CrowdSec watcher by its self-chosen machine_id and password (`POST /v2/watchers`).
   * With a registration token (an enrollment key) it joins that organisation; without one it needs
   * open registration and gets a one-agent community organisation, like a keyless enrollment.
   * Registering again with the same credentials is a no-op; another password for a known id is refused.
   */
  async registerWatcher(input: { machineId: string; password: string; enrollKey?: string }, sourceAddress: string): Promise<{ agent: AgentRecord; created: boolean }> {
    const existing = await this.agents.findByMachineId(input.machineId);
    if (existing) {
      if (existing.passwordHash && (await verifyPassword(input.password, existing.passwordHash))) return { agent: existing, created: false };
      throw new DomainError('machine_id_taken', 'This machine_id is already registered');
    }
    const now = this.clock.now();
    let target: { organizationId: string } | { communityOrganizationName: string };
    if (input.enrollKey) {
      const organizationId = await this.agents.findOrganizationByEnrollmentKeyHash(hashToken(input.enrollKey), now);
      if (!organizationId) throw new DomainError('invalid_enroll_key', 'Unknown, revoked or expired registration token');
      target = { organizationId };
    } else {
      if (!this.config.agents.openRegistration) {
        throw new DomainError('enroll_key_required', 'This Quorum requires a registration token (an enrollment key) to register watchers');
      }
      target = { communityOrganizationName: `community: crowdsec ${input.machineId.slice(0, 12)}` };
    }
    const identity = this.network.identify(sourceAddress);
    const result = await this.agents.createWithinCaps(
      {
        kind: 'crowdsec',
        name: `crowdsec-${input.machineId.slice(0, 12)}`,
        machineId: input.machineId,
        passwordHash: await hashPassword(input.password),
        tags: [],
        scenarios: [],
        networkPseudonym: identity.network,
        egressPseudonym: identity.egress,
        asn: identity.asn,
        country: identity.country,
      },
      target,
      this.enrollmentCaps(),
      now,
    );
    if ('cap' in result) {
      const what = result.cap === 'network' ? `${input.enrollKey ? 'keyed' : 'anonymous'} registrations from this network (/24 or /48)` : 'registrations for this organisation';
      throw DomainError.tooManyRequests(`Too many ${what} in the last 24 hours`, result.retryAfterMs / 1000, 'enrollment_limited');
    }
    return { agent: result, created: true };
  }

  /**
   * A watcher created by an operator for one of the organisation's engines (`quorum crowdsec
   * connect`): the same record `POST /v2/watchers` makes, in that organisation. No source network:
   * only the per-organisation cap applies.
   */
  async createWatcherForOrganization(organizationId: string, machineId: string, password: string, actor = 'cli'): Promise<AgentRecord> {
    if (!(await this.agents.findActiveOrganization(organizationId))) throw DomainError.notFound('Organisation not found');
    if (await this.agents.findByMachineId(machineId)) throw new DomainError('machine_id_taken', 'This machine_id is already registered');
    const result = await this.agents.createWithinCaps(
      {
        kind: 'crowdsec',
        name: `crowdsec-${machineId.slice(0, 12)}`,
        machineId,
        passwordHash: await hashPassword(password),
        tags: [],
        scenarios: [],
        networkPseudonym: null,
        egressPseudonym: null,
        asn: null,
        country: null,
      },
      { organizationId },
      this.enrollmentCaps(),
      this.clock.now(),
    );
    if ('cap' in result) throw DomainError.tooManyRequests('Too many agents created for this organisation in the last 24 hours', result.retryAfterMs / 1000, 'enrollment_limited');
    await this.audit.record(actor, 'agent.created', `agent:${result.id}`, { organizationId, kind: 'crowdsec' });
    return result;
  }

  /**
   * CrowdSec console enrollment: the attachment key is an organisation's enrollment key. Returns
   * 'already' when the agent is in that organisation, or in another customer organisation and
   * `overwrite` is false; 'enrolled' after moving it.
   */
  async enrollWatcher(agent: AgentRecord, attachmentKey: string, overwrite: boolean, actor = 'crowdsec'): Promise<'enrolled' | 'already'> {
    const organizationId = await this.agents.findOrganizationByEnrollmentKeyHash(hashToken(attachmentKey), this.clock.now());
    if (!organizationId) throw new DomainError('invalid_enroll_key', 'the attachment key provided is not valid');
    if (agent.organizationId === organizationId) return 'already';
    if (!overwrite && !(await this.agents.isCommunityOrganization(agent.organizationId))) return 'already';
    if (!(await this.agents.moveToOrganization(agent.id, organizationId))) throw DomainError.notFound('Agent not found');
    await this.audit.record(actor, 'agent.enrolled', `agent:${agent.id}`, { from: agent.organizationId, organizationId });
    return 'enrolled';
  }

  async login(input: AgentLoginDto, sourceAddress: string): Promise<IssuedAgentToken & { agent: AgentRecord }> {
    const agent = input.agent_id ? await this.agents.findById(input.agent_id) : await this.agents.findByMachineId(input.machine_id ?? '');
    const subject = agent?.id ?? `unknown:${input.agent_id ?? input.machine_id}`;
    const windowMs = this.config.agents.loginWindowSeconds * 1000;
    await this.limiter.enforce('login', subject, this.config.agents.loginMaxPerWindow, windowMs, 'Too many login attempts for this agent');
    if (!agent) throw DomainError.unauthorized('Unknown agent or bad credentials', 'invalid_credentials');
    if (input.password !== undefined) {
      if (!agent.passwordHash || !(await verifyPassword(input.password, agent.passwordHash))) {
        throw DomainError.unauthorized('Unknown agent or bad credentials', 'invalid_credentials');
      }
    } else {
      await this.verifyLoginSignature(agent, input);
    }
    if (agent.status !== 'active') throw DomainError.unauthorized(`Agent is ${agent.status}`, 'agent_inactive');
    const identity = this.network.identify(sourceAddress);
    await this.agents.recordLogin(
      agent.id,
      { networkPseudonym: identity.network, egressPseudonym: identity.egress, asn: identity.asn, country: identity.country },
      this.clock.now(),
    );
    return { ...this.tokens.issue(agent.id), agent };
  }

  private async verifyLoginSignature(agent: AgentRecord, input: AgentLoginDto): Promise<void> {
    const key = agent.publicKey ? parseEd25519PublicKey(agent.publicKey) : null;
    if (!key) throw DomainError.unauthorized('This agent has no key: log in with its password', 'invalid_credentials');
    this.assertFresh(input.sent_at ?? '');
    if (!verifyEd25519(key, loginMessage(agent.id, input.sent_at ?? '', input.nonce ?? ''), input.signature ?? '')) {
      throw DomainError.unauthorized('Bad login signature', ErrorCode.InvalidSignature);
    }
    if (!(await this.nonces.claim('login', agent.id, input.nonce ?? '', LOGIN_NONCE_TTL_MS))) {
      throw DomainError.conflict('This login nonce was already used', ErrorCode.ReplayedNonce);
    }
  }

  async rotateKey(agentId: string, principalAgentId: string, input: RotateKeyDto): Promise<number> {
    if (agentId !== principalAgentId) throw DomainError.forbidden('An agent can only rotate its own key');
    const agent = await this.agents.findById(agentId);
    if (!agent || agent.status !== 'active') throw DomainError.notFound('Agent not found');
    const oldKey = agent.publicKey ? parseEd25519PublicKey(agent.publicKey) : null;
    const newKey = parseEd25519PublicKey(input.public_key);
    if (!newKey) throw new DomainError('invalid_public_key', 'public_key must be an Ed25519 public key');
    if (!oldKey) throw DomainError.forbidden('This agent has no key to rotate');
    this.assertFresh(input.sent_at);
    if (!verifyEd25519(oldKey, rotateMessage(agent.id, input.public_key, input.sent_at), input.signature)) {
      throw DomainError.unauthorized('The rotation must be signed by the current key', ErrorCode.InvalidSignature);
    }
    const version = await this.agents.rotateKey(agent.id, agent.keyVersion, ed25519PublicKeyToBase64(newKey));
    if (version === null) throw DomainError.conflict('The key changed concurrently; retry with the current key');
    return version;
  }

  async listForOrganization(organizationId: string): Promise<AgentRecord[]> {
    return this.agents.listByOrganization(organizationId);
  }

  async revoke(agentId: string, actor = 'system'): Promise<AgentRecord> {
    const agent = await this.agents.revoke(agentId, this.clock.now());
    if (!agent) throw DomainError.notFound('Agent not found or already revoked');
    await this.audit.record(actor, 'agent.revoked', `agent:${agentId}`, { organizationId: agent.organizationId });
    return agent;
  }

  async findById(agentId: string): Promise<AgentRecord | null> {
    return this.agents.findById(agentId);
  }

  activeEgressPseudonyms(): Promise<string[]> {
    return this.agents.activeEgressPseudonyms();
  }

  async touchLastSignal(agentId: string): Promise<void> {
    await this.agents.touchLastSignal(agentId, this.clock.now());
  }

  private enrollmentCaps(): EnrollmentCaps {
    return {
      perOrganization: this.config.agents.maxEnrollPerOrgPerDay,
      perNetwork: this.config.agents.maxEnrollPerNetworkPerDay,
      perKeyedNetwork: this.config.agents.maxKeyedEnrollPerNetworkPerDay,
      windowMs: DAY_MS,
    };
  }

  private assertFresh(sentAt: string): void {
    const ms = parseTimestamp(sentAt);
    const skew = this.config.signals.maxClockSkewSeconds * 1000;
    if (ms === null) throw new DomainError('invalid_timestamp', 'sent_at must be an RFC 3339 timestamp');
    if (Math.abs(this.clock.nowMs() - ms) > skew) {
      throw DomainError.unauthorized(`sent_at is more than ${skew / 1000} s away from the server clock`, 'stale_timestamp');
    }
  }
}
