import { Inject, Injectable, Logger } from '@nestjs/common';
import * as dns from 'dns-packet';
import { refusal } from '../common/auth/authorization.js';
import { ruleOf } from '../common/auth/authorization-table.js';
import { DomainError } from '../common/errors/domain-error.js';
import { statusOf } from '../common/errors/error-catalogue.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { IpAnswer } from '../lookup/answer/ip-answer.js';
import { LookupIndexService } from '../lookup/index/lookup-index.service.js';
import type { ApiKeyPrincipal } from '../lookup/keys/api-key-cache.js';
import { ApiKeysService } from '../lookup/keys/api-keys.service.js';
import { LookupService } from '../lookup/lookup.service.js';
import { DNSBL_CODES, DNSBL_TTL, TEST_POINT_LISTED, TEST_POINT_UNLISTED } from './dnsbl-codes.js';
import { type ParsedQueryName, parseQueryName } from './query-name.js';
import { questionBounds, type RawRecord, type ResponseEdns, soaRdata, writeResponse } from './response-writer.js';

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;
type Rcode = (typeof RCODE)[keyof typeof RCODE];
const OPCODE_QUERY = 0;
const LOOKUP_IP_RULE = ruleOf('lookup.ip');
/** One TXT character-string holds at most 255 bytes. */
const TXT_CHUNK = 255;
/** The UDP payload size the zone advertises (the DNS flag day 2020 value, no fragmentation). */
export const EDNS_UDP_SIZE = 1232;
/** Largest UDP response without EDNS (RFC 1035). */
const PLAIN_UDP_LIMIT = 512;
/** BADVERS (RFC 6891): rcode 16, carried as 1 in the OPT record's upper rcode bits. */
const BADVERS_UPPER = 1;

export type DnsTransport = 'udp' | 'tcp';

/** What the query's OPT record asked for (null: no EDNS). */
interface QueryEdns {
  udpSize: number;
  version: number;
  dnssecOk: boolean;
}

interface Reply {
  rcode: Rcode;
  answers: RawRecord[];
  /** SOA in the authority section (negative answers, so resolvers cache them for DNSBL_TTL) */
  soa: boolean;
}

const refused = (): Reply => ({ rcode: RCODE.REFUSED, answers: [], soa: false });

/**
 * Answers DNSBL queries (`<reversed address>.<api key>.<zone>`) from the lookup index: the key is
 * resolved and metered exactly as `GET /v1/ip/{ip}` (same LookupService call, same quota, same usage,
 * special-purpose space free), and the answer's classification picks the records (DNSBL_CODES).
 */
@Injectable()
export class DnsblAnswerer {
  private readonly logger = new Logger('Dnsbl');
  readonly zone: string;
  private readonly zoneLabels: number;
  private readonly publicUrl: string;
  private lastWarnMs = 0;

  constructor(
    private readonly keys: ApiKeysService,
    private readonly lookups: LookupService,
    private readonly index: LookupIndexService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.zone = config.lookup.dnsblZone;
    this.zoneLabels = this.zone.split('.').length;
    this.publicUrl = (config.http.publicUrl ?? `http://${config.lookup.dnsblZone}`).replace(/\/$/, '');
  }

  /**
   * The response to one query (a UDP datagram, or a TCP message without its length prefix), or null to
   * drop it (not a readable DNS query); synchronous when nothing waits. EDNS (RFC 6891): a query with an
   * OPT record gets one back (our UDP size, its DO bit echoed), an EDNS version above 0 gets BADVERS,
   * several OPT records FORMERR. A UDP response larger than the client's limit (its EDNS size, else
   * 512 bytes) is sent truncated (TC, no records) so the client retries over TCP.
   */
  respond(datagram: Buffer, transport: DnsTransport = 'udp'): Buffer | null | Promise<Buffer | null> {
    let query: dns.DecodedPacket;
    try {
      query = dns.decode(datagram);
    } catch {
      return null;
    }
    if (query.type !== 'query') return null;
    const flags = query.flags ?? 0;
    const question = query.questions?.[0];
    const opts = (query.additionals ?? []).filter((r): r is dns.OptAnswer => r.type === 'OPT');
    const edns: QueryEdns | null = opts.length === 0 ? null : { udpSize: opts[0].udpPayloadSize ?? PLAIN_UDP_LIMIT, version: opts[0].ednsVersion ?? 0, dnssecOk: opts[0].flag_do === true };
    let extendedRcode = 0;
    let reply: Reply | Promise<Reply>;
    if (((flags >> 11) & 0xf) !== OPCODE_QUERY) reply = { rcode: RCODE.NOTIMP, answers: [], soa: false };
    else if (!question || query.questions!.length !== 1 || opts.length > 1) reply = { rcode: RCODE.FORMERR, answers: [], soa: false };
    else if (edns && edns.version > 0) {
      extendedRcode = BADVERS_UPPER;
      reply = { rcode: RCODE.NOERROR, answers: [], soa: false };
    } else reply = this.answer(question);
    const responseEdns: ResponseEdns | null = edns && opts.length === 1 ? { udpSize: EDNS_UDP_SIZE, extendedRcode, dnssecOk: edns.dnssecOk } : null;
    const limit = transport === 'tcp' ? 0xffff : edns ? Math.max(PLAIN_UDP_LIMIT, edns.udpSize) : PLAIN_UDP_LIMIT;
    const encode = (r: Reply, truncate = false): Buffer => {
      const responseFlags = (r.rcode === RCODE.REFUSED ? 0 : dns.AUTHORITATIVE_ANSWER) | (flags & dns.RECURSION_DESIRED) | r.rcode | (truncate ? dns.TRUNCATED_RESPONSE : 0);
      const answers = truncate ? [] : r.answers;
      const authorities = r.soa && !truncate ? [this.soa()] : [];
      const bounds = question && query.questions!.length === 1 ? questionBounds(datagram, this.zoneLabels) : null;
      let out: Buffer;
      if (bounds) out = writeResponse(datagram, bounds, responseFlags, answers, authorities, responseEdns);
      else {
        // Compressed or unusual question names: let dns-packet write the whole packet.
        out = dns.encode({
          id: query.id,
          type: 'response',
          flags: responseFlags,
          questions: question ? [question] : [],
          answers: answers.map((a) => this.toAnswer(a, question?.name ?? this.zone)),
          authorities: authorities.map((a) => this.toAnswer(a, question?.name ?? this.zone)),
          additionals: responseEdns
            ? [
                {
                  name: '.',
                  type: 'OPT',
                  udpPayloadSize: responseEdns.udpSize,
                  extendedRcode: responseEdns.extendedRcode,
                  ednsVersion: 0,
                  flags: responseEdns.dnssecOk ? dns.DNSSEC_OK : 0,
                  flag_do: responseEdns.dnssecOk,
                  options: [],
                } satisfies dns.OptAnswer,
              ]
            : [],
        });
      }
      return !truncate && out.length > limit ? encode(r, true) : out;
    };
    return reply instanceof Promise ? reply.then((r) => encode(r)) : encode(reply);
  }

  private answer(question: dns.Question): Reply | Promise<Reply> {
    if (question.class !== undefined && question.class !== 'IN') return refused();
    const parsed = parseQueryName(question.name, this.zone);
    if (parsed.kind === 'outside') return refused();
    if (parsed.kind === 'apex') {
      return question.type === 'SOA' ? { rcode: RCODE.NOERROR, answers: [{ ...this.soa(), owner: 'question' }], soa: false } : { rcode: RCODE.NOERROR, answers: [], soa: true };
    }
    if (parsed.key === null) return { rcode: RCODE.NXDOMAIN, answers: [], soa: true };
    const principal = this.keys.resolve(parsed.key);
    return principal instanceof Promise ? principal.then((p) => this.answerFor(question, parsed, p)) : this.answerFor(question, parsed, principal);
  }

  private answerFor(question: dns.Question, parsed: Exclude<ParsedQueryName, { kind: 'outside' | 'apex' }>, principal: ApiKeyPrincipal | null): Reply | Promise<Reply> {
    if (!principal || refusal(LOOKUP_IP_RULE, principal, { params: {}, body: undefined })) return refused();
    if (parsed.kind === 'malformed') return { rcode: RCODE.NXDOMAIN, answers: [], soa: true };
    const ip = parsed.ip;
    if (ip.version === 4 && (ip.value === TEST_POINT_LISTED || ip.value === TEST_POINT_UNLISTED)) {
      return ip.value === TEST_POINT_LISTED ? this.records(question, '127.0.0.2', 'RFC 5782 test point: always listed') : { rcode: RCODE.NXDOMAIN, answers: [], soa: true };
    }
    let answer: IpAnswer | Promise<IpAnswer>;
    try {
      answer = this.lookups.dns(principal, ip);
    } catch (error) {
      return this.failure(error);
    }
    return answer instanceof Promise ? answer.then((a) => this.fromAnswer(question, a), (error: unknown) => this.failure(error)) : this.fromAnswer(question, answer);
  }

  private fromAnswer(question: dns.Question, answer: IpAnswer): Reply {
    const code = DNSBL_CODES[answer.classification];
    if (!code.exists) return { rcode: RCODE.NXDOMAIN, answers: [], soa: true };
    return this.records(question, code.a, this.text(answer));
  }

  /** Over quota or burst, plan refusals: REFUSED, so a consumer's resolver fails open, as for a bad key. */
  private failure(error: unknown): Reply {
    if (error instanceof DomainError && statusOf(error.code) < 500) return refused();
    if (!(error instanceof DomainError)) this.warn(error);
    return { rcode: RCODE.SERVFAIL, answers: [], soa: false };
  }

  /** The A or TXT record of an existing name; other types get an empty NOERROR (NODATA). */
  private records(question: dns.Question, a: string | null, text: string): Reply {
    if (question.type === 'A' && a !== null) return { rcode: RCODE.NOERROR, answers: [{ owner: 'question', type: 'A', ttl: DNSBL_TTL, address: a }], soa: false };
    if (question.type === 'TXT') return { rcode: RCODE.NOERROR, answers: [{ owner: 'question', type: 'TXT', ttl: DNSBL_TTL, strings: chunks(text) }], soa: false };
    return { rcode: RCODE.NOERROR, answers: [], soa: true };
  }

  /** The TXT text: classification, why, and the IP's public page. */
  private text(answer: IpAnswer): string {
    const page = `${this.publicUrl}/ip/${answer.ip}`;
    switch (answer.classification) {
      case 'benign':
        return `Quorum: benign (${answer.benign?.category ?? 'never-list'}, ${answer.benign?.source ?? 'unknown source'}) ${page}`;
      case 'reserved':
        return `Quorum: reserved address (${answer.reserved?.name ?? 'special-purpose'} ${answer.reserved?.rfc ?? ''}) ${page}`.replace(/ +\)/, ')');
      default: {
        const what = answer.behaviours && answer.behaviours.length > 0 ? `, ${answer.behaviours.join(', ')}` : '';
        return `Quorum: ${answer.classification}, score ${answer.score}${what} ${page}`;
      }
    }
  }

  private cachedSoa: { version: number; record: RawRecord } | null = null;

  /** The zone's SOA, owned by the zone (cached per scoring generation, which is its serial). */
  private soa(): RawRecord {
    const version = this.index.current.version;
    if (this.cachedSoa?.version === version) return this.cachedSoa.record;
    const rdata = soaRdata(`ns.${this.zone}`, `hostmaster.${this.zone}`, [version, 3600, 600, 86_400, DNSBL_TTL]);
    const record: RawRecord = { owner: 'zone', type: 'SOA', ttl: DNSBL_TTL, rdata };
    this.cachedSoa = { version, record };
    return record;
  }

  /** A record as dns-packet writes it (the fallback path). */
  private toAnswer(r: RawRecord, questionName: string): dns.Answer {
    const name = r.owner === 'question' ? questionName : this.zone;
    if (r.type === 'A') return { name, type: 'A', ttl: r.ttl, class: 'IN', data: r.address };
    if (r.type === 'TXT') return { name, type: 'TXT', ttl: r.ttl, class: 'IN', data: [...r.strings] };
    const version = this.cachedSoa?.version ?? this.index.current.version;
    return {
      name,
      type: 'SOA',
      ttl: r.ttl,
      class: 'IN',
      data: { mname: `ns.${this.zone}`, rname: `hostmaster.${this.zone}`, serial: version >>> 0, refresh: 3600, retry: 600, expire: 86_400, minimum: DNSBL_TTL },
    };
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnMs < 10_000) return;
    this.lastWarnMs = now;
    this.logger.warn(`DNSBL query failed: ${(error as Error).message}`);
  }
}

function chunks(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += TXT_CHUNK) out.push(bytes.subarray(i, i + TXT_CHUNK));
  return out;
}
