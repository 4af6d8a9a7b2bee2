import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import { BEHAVIOUR_RULES, OTHER_BEHAVIOUR } from '../../common/scenarios/behaviours.js';
import { CLASSIFICATIONS, EVIDENCE } from '../answer/ip-answer.js';
import { MAX_RANGE_MEMBERS } from '../answer/range-answer.js';
import { MAX_BULK_SIZE } from '../plans/plan.types.js';

export class BulkLookupDto {
  @ApiProperty({ type: [String], maxItems: MAX_BULK_SIZE, example: ['203.0.113.7', '2001:db8::1'], description: "Up to the plan's bulk size" })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK_SIZE)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  ips!: string[];
}

export class RangeSummaryDto {
  @ApiProperty({ example: '203.0.113.0/24' }) cidr!: string;
  @ApiProperty({ example: 2, description: 'Listed addresses (IPv4) or /64s (IPv6) in it' }) listed!: number;
  @ApiProperty({ example: 95, description: 'Highest member score' }) maxScore!: number;
}

const BEHAVIOURS = [...new Set(BEHAVIOUR_RULES.map((r) => r.behaviour)), OTHER_BEHAVIOUR];

export class BenignNetworkDto {
  @ApiProperty({ example: 'crawler', description: 'Never-list category: crawler, cdn, health-checker, resolver, own-infrastructure, research-scanner' })
  category!: string;
  @ApiProperty({ example: 'googlebot', description: 'The published range list the network was imported from' }) source!: string;
}

export class ReservedBlockDto {
  @ApiProperty({ example: '10.0.0.0/8', description: 'The special-purpose block holding the address' }) cidr!: string;
  @ApiProperty({ example: 'Private-Use', description: 'Its name in the IANA special-purpose registry' }) name!: string;
  @ApiProperty({ example: '[RFC1918]', description: 'The RFC defining it' }) rfc!: string;
}

export class IpAnswerDto {
  @ApiProperty({ example: '203.0.113.7', description: 'The queried address in canonical form (IPv4-mapped IPv6 answers as IPv4)' }) ip!: string;
  @ApiProperty({
    enum: CLASSIFICATIONS,
    example: 'malicious',
    description:
      'The verdict in one word. "malicious": listed by consensus. "suspicious": not listed, score at or above 28 (the consensus keep threshold). ' +
      '"benign": inside a never-list network (see `benign`). "reserved": special-purpose space (private, loopback, documentation, multicast...; ' +
      'see `reserved`), answered without counting a lookup. "unknown": everything else, including IPs reported below the suspicious score.',
  })
  classification!: string;
  @ApiProperty({
    enum: ['malicious', 'suspicious', 'known', 'benign', 'unknown'],
    example: 'malicious',
    description: 'Older five-way verdict kept for existing clients ("known": reported below the suspicious score; reserved space answers "unknown"); prefer `classification`',
  })
  reputation!: string;
  @ApiProperty({
    enum: EVIDENCE,
    description:
      'What the answer rests on. "trusted": reports of reporters past the consensus trust gates (enrolment age, trust, one vote per owner), ' +
      'our honeypots or a consensus listing; reporter counts and scenario names come from these only. "not_enough_trusted_evidence": ' +
      'only reporters not yet past the gates (new or untrusted agents) reported this IP, so the answer is "unknown" with nothing of theirs shown. ' +
      '"none": never reported.',
  })
  evidence!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 86, description: '100·(1 − e^(−S/3)) of the consensus score S (0 when unreported, reserved or untrusted-only)' })
  score!: number;
  @ApiProperty({
    enum: ['none', 'low', 'medium', 'high'],
    example: 'high',
    description: 'How far the evidence can be trusted: high with honeypot sightings or 3+ established reporters in 3+ ASNs',
  })
  confidence!: string;
  @ApiProperty({ example: true, description: 'Listed by consensus right now (never for benign or reserved addresses)' }) listed!: boolean;
  @ApiProperty({ nullable: true, type: String, example: '2027-01-15T08:00:00.000Z', description: 'When the listing expires unless renewed' }) listedUntil!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'Never-list category (same as `benign.category`), kept for existing clients' })
  neverList!: string | null;
  @ApiProperty({ nullable: true, type: BenignNetworkDto, example: null, description: 'Set when classification is "benign": the never-list network holding the IP' })
  benign!: BenignNetworkDto | null;
  @ApiProperty({ nullable: true, type: ReservedBlockDto, example: null, description: 'Set when classification is "reserved": the special-purpose block holding the IP' })
  reserved!: ReservedBlockDto | null;
  @ApiPropertyOptional({ nullable: true, enum: ['1-2', '3-5', '6-20', '>20'], example: '6-20', description: 'plan field "reporters": trusted reporters, as a band' })
  reporters?: string | null;
  @ApiPropertyOptional({ type: [String], example: ['crowdsecurity/ssh-bf', 'quorum/http-probing'], description: 'plan field "scenarios": scenario names of trusted reporters' })
  scenarios?: string[];
  @ApiPropertyOptional({
    type: [String],
    enum: BEHAVIOURS,
    example: ['SSH brute force', 'HTTP vulnerability scanning'],
    description: 'plan field "scenarios": the scenarios in plain words, one entry per behaviour (table in docs/lookup.md)',
  })
  behaviours?: string[];
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-12-01T10:00:00.000Z', description: 'plan field "history": first trusted report' }) firstSeen?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2026-12-06T22:15:00.000Z', description: 'plan field "history": last trusted report' }) lastSeen?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, example: 64500, description: 'plan field "network": origin AS number' }) asn?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'EXAMPLE-NET', description: 'plan field "network": origin AS name' }) asName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'FR', description: 'plan field "network": ISO 3166 country code' }) country?: string | null;
  @ApiPropertyOptional({ type: RangeSummaryDto, description: 'plan field "range": the /24 (IPv4) or /64 (IPv6)' }) range?: RangeSummaryDto;
}

export class BulkAnswerDto {
  @ApiProperty({ type: [IpAnswerDto], description: 'One per input, in order; an invalid input gives {ip, error}' }) results!: IpAnswerDto[];
  @ApiProperty({ example: 3, description: 'Lookups counted against the quotas (valid IPs outside special-purpose space)' }) metered!: number;
}

export class RangeMemberDto {
  @ApiProperty({ description: 'IPv4 address or IPv6 /64' }) ip!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ nullable: true, type: String }) listedUntil!: string | null;
  @ApiPropertyOptional({ type: [String] }) scenarios?: string[];
}

export class RangeAnswerDto {
  @ApiProperty({ example: '203.0.113.0/24' }) cidr!: string;
  @ApiProperty() scored!: number;
  @ApiProperty() listed!: number;
  @ApiProperty() maxScore!: number;
  @ApiProperty({ description: "0-100: noisy-OR of the members' scores" }) score!: number;
  @ApiProperty({ type: [RangeMemberDto], description: `Listed members by address, at most ${MAX_RANGE_MEMBERS}` }) members!: RangeMemberDto[];
  @ApiProperty() truncated!: boolean;
}
