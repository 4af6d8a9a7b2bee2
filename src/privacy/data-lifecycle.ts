import { SetMetadata } from '@nestjs/common';
import type { Domain, OwnedTable } from '../infra/prisma/table-owners.js';
import type { RetentionCutoffs } from './retention-policy.js';

/**
 * The erasure and retention contract (docs/privacy.md "Erasure contract"): every domain implements it
 * for its own tables and Redis keys, in a `*.erasure.ts` provider marked `@DataLifecycleProvider()`
 * and listed in its module; privacy finds them at boot and runs them. Nothing is discovered from the
 * database schema at run time: a table no lifecycle declares is a boot error (and a test failure).
 */
export const DATA_LIFECYCLE = 'quorum:data-lifecycle';
export const DataLifecycleProvider = (): ClassDecorator => SetMetadata(DATA_LIFECYCLE, true);

/** An organisation being erased, as the agents domain describes it before anything is deleted. */
export interface OrganizationSubject {
  organizationId: string;
  /** ids of its agents */
  agentIds: string[];
  /** its owner pseudonym and its agents' reporter pseudonyms (null / empty once its key is destroyed) */
  owner: string | null;
  reporters: string[];
  /** every identifier other records may name it or its members by (ids, emails, key prefixes) */
  identifiers: string[];
  now: Date;
}

/** An IP being erased (R9): `address` is the IPv4 address, or one IPv6 address inside the /64 `ipKey`. */
export interface IpSubject {
  ipKey: string;
  address: string;
  /** per-key stores (aggregates, explanations, blocklist rows) go too: no other address of the key is left */
  wholeKey: boolean;
  /** the request erasing it (other pending requests for the address are superseded), null on a replay */
  requestId: string | null;
  now: Date;
}

/** Rows removed (or cleared) per table or Redis key family. */
export type Removed = Record<string, number>;

export interface DataLifecycle {
  readonly domain: Domain;
  /** The tables this domain owns and whose lifecycle this implements (all of them). */
  readonly tables: readonly OwnedTable[];
  /** Erasure order: lower first. Consensus reads signals before they go (10); accounts go last (90). */
  readonly stage: number;
  /** Identifiers of the organisation's records (ids, emails, key prefixes) other records may name. */
  identifiersOf(organizationId: string): Promise<string[]>;
  eraseOrganization(subject: OrganizationSubject): Promise<Removed>;
  eraseIp(subject: IpSubject): Promise<Removed>;
  applyRetention(now: Date, cutoffs: RetentionCutoffs): Promise<Removed>;
  /** Oldest row date per retained table (retention gauges). */
  oldestRows(): Promise<Record<string, Date | null>>;
  /** IPv4 keys and IPv6 addresses held (erasure-ledger replay after a restore). */
  heldIps(): Promise<{ keys: string[]; addresses: Array<{ ip: string; key: string }> }>;
}

/** Helpers for lifecycles with nothing to do for one of the operations. */
export const NOTHING: Removed = Object.freeze({}) as Removed;
export const NO_IPS = Object.freeze({ keys: [] as string[], addresses: [] as Array<{ ip: string; key: string }> });

/**
 * A lifecycle for a domain that holds no IP data: nothing to erase per IP, no IPs to replay after a
 * restore and, unless the domain overrides them, no rows under retention.
 */
export abstract class NoIpDataLifecycle implements DataLifecycle {
  abstract readonly domain: Domain;
  abstract readonly tables: readonly OwnedTable[];
  abstract readonly stage: number;
  abstract identifiersOf(organizationId: string): Promise<string[]>;
  abstract eraseOrganization(subject: OrganizationSubject): Promise<Removed>;

  async eraseIp(): Promise<Removed> {
    return NOTHING;
  }

  async applyRetention(_now: Date, _cutoffs: RetentionCutoffs): Promise<Removed> {
    return NOTHING;
  }

  async oldestRows(): Promise<Record<string, Date | null>> {
    return {};
  }

  async heldIps(): Promise<typeof NO_IPS> {
    return NO_IPS;
  }
}
