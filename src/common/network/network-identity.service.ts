import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock.js';
import { pseudonym } from '../crypto/pseudonym.js';
import { type IpMetadata, IpMetadataIndex } from '../ip/ip-metadata.js';
import { networkKey, parseIp, type ParsedIp } from '../ip/ip-address.js';
import { NetworkKeyRing } from './network-key-ring.js';
import { NetworkKeysRepository } from './network-keys.repository.js';

/** Keys are re-read this often, so a key created ahead (network-key-ring.ts) is known everywhere in time. */
const KEY_REFRESH_MS = 5 * 60_000;

/**
 * What Quorum keeps about a reporter's network (GDPR R6): never the raw address, nothing finer than
 * its /24 (IPv4) or /48 (IPv6). Pseudonyms are HMACs under the current network key (rotated every 90
 * days, network-key-ring.ts); stored ones are cleared 30 days after they were derived (retention job).
 */
export interface NetworkIdentity {
  /** HMAC pseudonym of the /24 (IPv4) or /48 (IPv6) */
  network: string | null;
  /** The agent's egress for the self-report check: the same /24 (/48) pseudonym, never the address */
  egress: string | null;
  asn: number | null;
  country: string | null;
}

/**
 * Derives ASN, country and a network pseudonym from a request's source address, using the offline
 * IP metadata dataset (loaded once, in the background: identities are partial until it is ready) and
 * the network keys (loaded before the application starts, refreshed every 5 minutes).
 */
@Injectable()
export class NetworkIdentityService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NetworkIdentity');
  private index: IpMetadataIndex | null = null;
  private loading: Promise<void> | null = null;
  private ring = new NetworkKeyRing([]);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly keys: NetworkKeysRepository,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    void this.ready();
    await this.refreshKeys(true);
    this.timer = setInterval(() => void this.refreshKeys(false), KEY_REFRESH_MS);
    this.timer.unref();
  }

  /** A load still reading the dataset would keep the process alive after close: let it finish. */
  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.loading;
  }

  /** Re-reads the keys; at boot, creates the first key of a new database. Failures keep the last ring. */
  async refreshKeys(boot = false): Promise<void> {
    try {
      if (boot && (await this.keys.live()).length === 0) await this.keys.rotate(this.clock.now());
      this.ring = new NetworkKeyRing(await this.keys.live());
    } catch (error) {
      this.logger.error(`network keys not loaded (pseudonyms are empty until they are): ${(error as Error).message}`);
    }
  }

  /** Creates the next key when due and destroys retired ones (daily, from the retention job). */
  async rotateKeys(now: Date = this.clock.now()): Promise<{ created: number | null; destroyed: number }> {
    const result = await this.keys.rotate(now);
    await this.refreshKeys();
    return result;
  }

  ready(): Promise<void> {
    this.loading ??= IpMetadataIndex.load()
      .then((index) => {
        this.index = index;
      })
      .catch((error: Error) => this.logger.error(`IP metadata dataset unavailable: ${error.message}`));
    return this.loading;
  }

  /** For tests: a fixture dataset. */
  useIndex(index: IpMetadataIndex): void {
    this.index = index;
    this.loading = Promise.resolve();
  }

  identify(address: string | undefined): NetworkIdentity {
    const ip = address ? parseIp(address) : null;
    if (!ip) return { network: null, egress: null, asn: null, country: null };
    const meta = this.index?.lookup(ip) ?? null;
    const network = this.currentPseudonym(ip);
    return { network, egress: network, asn: meta?.asn ?? null, country: meta?.country ?? null };
  }

  /**
   * Egress pseudonyms that match a target given by its consensus key (IPv4 text, or an IPv6 /64): one
   * per valid key, so agents whose stored pseudonym predates a rotation still match during the overlap.
   */
  egressCandidates(key: string): string[] {
    const ip = parseIp(key.split('/')[0]);
    return ip ? this.prefixPseudonyms(ip) : [];
  }

  /** Id of the key deriving new pseudonyms now (null before keys are loaded): memos of pseudonyms key on it. */
  currentKeyId(): number | null {
    return this.ring.current(this.clock.now())?.id ?? null;
  }

  /** ASN, AS name and country of an address; null while the dataset loads or when it does not cover it. */
  lookupMetadata(ip: ParsedIp): IpMetadata | null {
    return this.index?.lookup(ip) ?? null;
  }

  /** The pseudonym of the /24 (/48) holding `address` under the current key, or null. */
  networkOf(address: string): string | null {
    const ip = parseIp(address);
    return ip ? this.currentPseudonym(ip) : null;
  }

  /** HMAC of the /24 (/48) under the current key only (one HMAC: derivations never need the older key). */
  private currentPseudonym(ip: ParsedIp): string | null {
    const key = this.ring.current(this.clock.now());
    return key ? pseudonym(key.secret, prefixOf(ip)) : null;
  }

  /** HMACs of the /24 (/48) under every valid key, current key first. */
  private prefixPseudonyms(ip: ParsedIp): string[] {
    const prefix = prefixOf(ip);
    return this.ring.valid(this.clock.now()).map((k) => pseudonym(k.secret, prefix));
  }
}

function prefixOf(ip: ParsedIp): string {
  return `net:${networkKey(ip, 24, 48)}`;
}
