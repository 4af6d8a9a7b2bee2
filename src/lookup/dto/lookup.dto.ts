import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, MaxLength } from 'class-validator';
import { EVIDENCE } from '../answer/ip-answer.js';
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
  @ApiProperty() listed!: number;
  @ApiProperty() maxScore!: number;
}

export class IpAnswerDto {
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiProperty({ enum: ['malicious', 'suspicious', 'known', 'benign', 'unknown'] }) reputation!: string;
  @ApiProperty({
    enum: EVIDENCE,
    description:
      'What the answer rests on. "trusted": reports of reporters past the consensus trust gates (enrolment age, trust, one vote per owner), ' +
      'our honeypots or a consensus listing; reporter counts and scenario names come from these only. "not_enough_trusted_evidence": ' +
      'only reporters not yet past the gates (new or untrusted agents) reported this IP, so the answer is "unknown" with nothing of theirs shown. ' +
      '"none": never reported.',
  })
  evidence!: string;
  @ApiProperty({ minimum: 0, maximum: 100, description: '100·(1 − e^(−S/3)) of the consensus score S' }) score!: number;
  @ApiProperty({ enum: ['none', 'low', 'medium', 'high'] }) confidence!: string;
  @ApiProperty() listed!: boolean;
  @ApiProperty({ nullable: true, type: String }) listedUntil!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'never-list category (crawler, cdn, ...): the IP is benign' }) neverList!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['1-2', '3-5', '6-20', '>20'], description: 'plan field "reporters"' }) reporters?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'plan field "scenarios"' }) scenarios?: string[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'plan field "history"' }) firstSeen?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'plan field "history"' }) lastSeen?: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'plan field "network"' }) asn?: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'plan field "network"' }) asName?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'plan field "network"' }) country?: string | null;
  @ApiPropertyOptional({ type: RangeSummaryDto, description: 'plan field "range": the /24 (IPv4) or /64 (IPv6)' }) range?: RangeSummaryDto;
}

export class BulkAnswerDto {
  @ApiProperty({ type: [IpAnswerDto], description: 'One per input, in order; an invalid input gives {ip, error}' }) results!: IpAnswerDto[];
  @ApiProperty({ description: 'Lookups counted against the quotas' }) metered!: number;
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
