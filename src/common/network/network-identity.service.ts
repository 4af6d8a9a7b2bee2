import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { pseudonym } from '../crypto/pseudonym.js';
import { type IpMetadata, IpMetadataIndex } from '../ip/ip-metadata.js';
import { ipKey, networkKey, parseIp, type ParsedIp } from '../ip/ip-address.js';

/** What Quorum keeps about a reporter's network: never the raw address (GDPR R6). */
export interface NetworkIdentity {
  /** HMAC pseudonym of the /24 (IPv4) or /48 (IPv6) */
  network: string | null;
  /** HMAC pseudonym of the address itself (its consensus key: IPv4, or the IPv6 /64) */
  egress: string | null;
  asn: number | null;
  country: string | null;
}

/**
 * Derives ASN, country and a network pseudonym from a request's source address, using the offline
 * IP metadata dataset (loaded once, in the background: identities are partial until it is ready).
 */
@Injectable()
export class NetworkIdentityService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('NetworkIdentity');
  private index: IpMetadataIndex | null = null;
  private loading: Promise<void> | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    void this.ready();
  }

  /** A load still reading the dataset would keep the process alive after close: let it finish. */
  async onApplicationShutdown(): Promise<void> {
    await this.loading;
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
    return {
      network: pseudonym(this.config.privacy.pseudonymSecret, `net:${networkKey(ip, 24, 48)}`),
      egress: this.egressOfKey(ipKey(ip)),
      asn: meta?.asn ?? null,
      country: meta?.country ?? null,
    };
  }

  /** Pseudonym of an egress address given by its consensus key (protected-reporter checks). */
  egressOfKey(key: string): string {
    return pseudonym(this.config.privacy.pseudonymSecret, `host:${key}`);
  }

  /** ASN, AS name and country of an address; null while the dataset loads or when it does not cover it. */
  lookupMetadata(ip: ParsedIp): IpMetadata | null {
    return this.index?.lookup(ip) ?? null;
  }

  /** The pseudonym of the /24 (/48) holding `address`, or null for an unparsable address. */
  networkOf(address: string): string | null {
    const ip = parseIp(address);
    return ip ? pseudonym(this.config.privacy.pseudonymSecret, `net:${networkKey(ip, 24, 48)}`) : null;
  }
}
