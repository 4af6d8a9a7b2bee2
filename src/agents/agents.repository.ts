import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Agent as AgentRow } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { AgentRecord, CapExceeded, EnrollmentCaps, NewAgent } from './agent.types.js';

function toRecord(row: AgentRow): AgentRecord {
  return {
    id: row.id,
    organizationId: row.organizationId,
    kind: row.kind,
    name: row.name,
    machineId: row.machineId,
    passwordHash: row.passwordHash,
    publicKey: row.publicKey,
    keyVersion: row.keyVersion,
    tags: row.tags,
    scenarios: row.scenarios,
    status: row.status,
    networkPseudonym: row.networkPseudonym,
    egressPseudonym: row.egressPseudonym,
    asn: row.asn,
    country: row.country,
    enrolledAt: row.enrolledAt,
    lastLoginAt: row.lastLoginAt,
    lastSignalAt: row.lastSignalAt,
    revokedAt: row.revokedAt,
  };
}

@Injectable()
export class AgentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findById(id: string): Promise<AgentRecord | null> {
    const row = await this.prisma.agent.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async findByMachineId(machineId: string): Promise<AgentRecord | null> {
    const row = await this.prisma.agent.findUnique({ where: { machineId } });
    return row ? toRecord(row) : null;
  }

  async listByOrganization(organizationId: string): Promise<AgentRecord[]> {
    const rows = await this.prisma.agent.findMany({ where: { organizationId }, orderBy: { enrolledAt: 'asc' } });
    return rows.map(toRecord);
  }

  /** True when the organisation exists and was not erased. */
  async findActiveOrganization(id: string): Promise<boolean> {
    const row = await this.prisma.organization.findUnique({ where: { id }, select: { erasedAt: true } });
    return row !== null && row.erasedAt === null;
  }

  /** The organisation of an active, unexpired enrollment key, by the key's hash. */
  async findOrganizationByEnrollmentKeyHash(hash: string, now: Date): Promise<string | null> {
    const key = await this.prisma.enrollmentKey.findUnique({ where: { keyHash: hash }, include: { organization: true } });
    if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now) || key.organization.erasedAt) return null;
    return key.organizationId;
  }

  /**
   * Creates the agent (and, for open registration, its one-agent community organisation) unless an
   * enrollment cap is reached. Caps are counted under advisory locks so concurrent enrollments from
   * one network or organisation cannot overshoot.
   */
  async createWithinCaps(
    input: NewAgent,
    target: { organizationId: string } | { communityOrganizationName: string },
    caps: EnrollmentCaps,
    now: Date,
  ): Promise<AgentRecord | CapExceeded> {
    return this.prisma.transaction(async (tx) => {
      const since = new Date(now.getTime() - caps.windowMs);
      if (input.networkPseudonym) {
        await tx.execute('SELECT pg_advisory_xact_lock(hashtext($1))', [`enroll-net:${input.networkPseudonym}`]);
        // Keyed and anonymous registrations have separate caps: a fleet behind one NAT enrolling with
        // its organisation's key must not be stopped by (or use up) the anonymous allowance. An agent
        // counts by the kind of organisation it is in now (community = anonymous).
        const keyed = 'organizationId' in target;
        const recent = await tx.prisma.agent.findMany({
          where: {
            enrollNetwork: input.networkPseudonym,
            enrolledAt: { gt: since },
            organization: keyed ? { kind: { not: 'community' } } : { kind: 'community' },
          },
          select: { enrolledAt: true },
          orderBy: { enrolledAt: 'asc' },
        });
        if (recent.length >= (keyed ? caps.perKeyedNetwork : caps.perNetwork)) {
          return { cap: 'network', retryAfterMs: recent[0].enrolledAt.getTime() + caps.windowMs - now.getTime() };
        }
      }
      let organizationId: string;
      if ('organizationId' in target) {
        organizationId = target.organizationId;
        await tx.execute('SELECT pg_advisory_xact_lock(hashtext($1))', [`enroll-org:${organizationId}`]);
        const recent = await tx.prisma.agent.findMany({
          where: { organizationId, enrolledAt: { gt: since } },
          select: { enrolledAt: true },
          orderBy: { enrolledAt: 'asc' },
        });
        if (recent.length >= caps.perOrganization) {
          return { cap: 'organization', retryAfterMs: recent[0].enrolledAt.getTime() + caps.windowMs - now.getTime() };
        }
      } else {
        const organization = await tx.prisma.organization.create({ data: { name: target.communityOrganizationName, kind: 'community' } });
        await tx.prisma.reporterKey.create({ data: { organizationId: organization.id, secret: randomBytes(32) } });
        organizationId = organization.id;
      }
      const row = await tx.prisma.agent.create({
        data: {
          organizationId,
          kind: input.kind,
          name: input.name,
          machineId: input.machineId,
          passwordHash: input.passwordHash,
          publicKey: input.publicKey,
          tags: input.tags,
          scenarios: input.scenarios,
          networkPseudonym: input.networkPseudonym,
          egressPseudonym: input.egressPseudonym,
          enrollNetwork: input.networkPseudonym,
          asn: input.asn,
          country: input.country,
          enrolledAt: now,
        },
      });
      return toRecord(row);
    });
  }

  async recordLogin(
    id: string,
    network: { networkPseudonym: string | null; egressPseudonym: string | null; asn: number | null; country: string | null },
    now: Date,
  ): Promise<void> {
    await this.prisma.agent.update({
      where: { id },
      data: {
        lastLoginAt: now,
        ...(network.networkPseudonym
          ? { networkPseudonym: network.networkPseudonym, egressPseudonym: network.egressPseudonym, asn: network.asn, country: network.country }
          : {}),
      },
    });
  }

  /** Replaces the public key only if it is still the one the rotation was signed with. */
  async rotateKey(id: string, expectedVersion: number, publicKey: string): Promise<number | null> {
    const result = await this.prisma.agent.updateMany({
      where: { id, keyVersion: expectedVersion, status: 'active' },
      data: { publicKey, keyVersion: { increment: 1 } },
    });
    return result.count === 1 ? expectedVersion + 1 : null;
  }

  async revoke(id: string, now: Date): Promise<AgentRecord | null> {
    const result = await this.prisma.agent.updateMany({ where: { id, status: { not: 'revoked' } }, data: { status: 'revoked', revokedAt: now } });
    if (result.count === 0) return null;
    return this.findById(id);
  }

  /** Egress pseudonyms of agents in good standing: protected targets for consensus. */
  async activeEgressPseudonyms(): Promise<string[]> {
    const rows = await this.prisma.agent.findMany({ where: { status: 'active', egressPseudonym: { not: null } }, select: { egressPseudonym: true } });
    return rows.map((r) => r.egressPseudonym as string);
  }

  /** Marks agents as contributing (throttled: at most one write per agent per minute). */
  async touchLastSignal(id: string, now: Date): Promise<void> {
    await this.prisma.db.execute(`UPDATE agent SET last_signal_at = $1
      WHERE id = $2::uuid AND (last_signal_at IS NULL OR last_signal_at < $3)`, [now, id, new Date(now.getTime() - 60_000)]);
  }

  /** Moves an agent into another organisation (CrowdSec console enrollment by attachment key). */
  async moveToOrganization(id: string, organizationId: string): Promise<AgentRecord | null> {
    const result = await this.prisma.agent.updateMany({ where: { id, status: 'active' }, data: { organizationId } });
    return result.count === 1 ? this.findById(id) : null;
  }

  async isCommunityOrganization(organizationId: string): Promise<boolean> {
    const row = await this.prisma.organization.findUnique({ where: { id: organizationId }, select: { kind: true } });
    return row?.kind === 'community';
  }
}
