import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListingsQueryDto {
  @ApiProperty({ description: 'an IPv4 or IPv6 address, or a CIDR range of at most a /16 (IPv4) or a /48 (IPv6)', example: '203.0.113.0/24' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) page?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) page_size?: number;
}

export class ListingStateDto {
  @ApiProperty({ description: 'the scoring key: the IPv4 address, or the IPv6 /64' }) ip_key!: string;
  @ApiProperty({ description: 'false: consensus has no score for it (never reported, or its score expired)' }) known!: boolean;
  @ApiProperty() listed!: boolean;
  @ApiProperty({ nullable: true, type: Number }) score!: number | null;
  @ApiProperty({ description: 'reporting organisations (after collapsing owners and collusion clusters)' }) reporters!: number;
  @ApiProperty() established!: number;
  @ApiProperty() asns!: number;
  @ApiProperty({ type: [String] }) scenarios!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'listed since' }) listed_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'listed until (the engine\'s expiry)' }) listed_until!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'consensus, honeypot, ...' }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_seen!: string | null;
  @ApiProperty({ description: 'seen by Quorum\'s own sensors' }) honeypot!: boolean;
}

export class ListingsPageDto {
  @ApiProperty({ description: 'the range searched, in canonical form' }) query!: string;
  @ApiProperty({ description: 'scoring keys in the range' }) keys_in_range!: number;
  @ApiProperty({ description: 'keys of the range consensus has a score for' }) known!: number;
  @ApiProperty({ description: 'listed keys of the range' }) listed!: number;
  @ApiProperty() page!: number;
  @ApiProperty() page_size!: number;
  @ApiProperty({ type: [ListingStateDto], description: 'known keys in address order, listed or not' }) items!: ListingStateDto[];
}

export class VoterScenarioDto {
  @ApiProperty() scenario!: string;
  @ApiProperty() signals!: number;
  @ApiProperty() first_at!: string;
  @ApiProperty() last_at!: string;
}

export class VoterDto {
  @ApiProperty({ description: 'the reporter\'s pseudonym (HMAC under its organisation\'s key; never the agent or the organisation)' }) reporter!: string;
  @ApiProperty({ enum: ['quarantined', 'established', 'building', 'low', 'unscored'] }) trust_band!: string;
  @ApiProperty({ nullable: true, type: Number }) trust!: number | null;
  @ApiProperty({ description: 'named among the voters of the latest listing' }) in_listing!: boolean;
  @ApiProperty({ type: [VoterScenarioDto], description: 'its signals of this key within the vote window, per scenario' }) scenarios!: VoterScenarioDto[];
}

export class ExplanationRecordDto {
  @ApiProperty() listed_at!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() score!: number;
  @ApiProperty() asns!: number;
  @ApiProperty() established!: number;
  @ApiProperty({ type: [String] }) scenario_classes!: string[];
  @ApiProperty({ type: [String], description: 'voter pseudonyms at the time of listing' }) voters!: string[];
}

export class TimelineEventDto {
  @ApiProperty({ nullable: true, type: String, description: 'when the blocklist version was published (null: pruned)' }) at!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: ['listed', 'updated', 'delisted'], description: 'updated: a new expiry or score for a listing already published' }) event!: string;
  @ApiProperty() scenario_class!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ description: 'the published expiry of the listing' }) until!: string;
}

export class ListingDetailDto {
  @ApiProperty() ip!: string;
  @ApiProperty({ type: ListingStateDto }) state!: ListingStateDto;
  @ApiProperty({ type: [VoterDto], description: 'who reported it within the vote window, as pseudonyms, with their evidence' }) voters!: VoterDto[];
  @ApiProperty({ description: 'the vote window the evidence covers (hours)' }) vote_window_hours!: number;
  @ApiProperty({ type: [ExplanationRecordDto], description: 'explanations written when it was listed, newest first' }) explanations!: ExplanationRecordDto[];
  @ApiProperty({ type: [TimelineEventDto], description: 'listings and delistings from the kept blocklist history, oldest first' }) timeline!: TimelineEventDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the oldest kept blocklist version\'s time: the timeline starts there' }) history_since!: string | null;
}

export class BlocklistVersionsQueryDto {
  @ApiPropertyOptional({ description: 'versions before this id (the next page)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(2_147_483_647) before?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class BlocklistVersionDto {
  @ApiProperty() id!: number;
  @ApiProperty() created_at!: string;
  @ApiProperty() added!: number;
  @ApiProperty() removed!: number;
  @ApiProperty({ description: 'entries in the list at this version' }) total!: number;
}

export class BlocklistVersionsDto {
  @ApiProperty({ type: [BlocklistVersionDto], description: 'newest first' }) versions!: BlocklistVersionDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'pass as `before` for the next page; null on the last' }) next_before!: number | null;
  @ApiProperty({ description: 'the oldest version kept (history is pruned by age), 0 when none' }) oldest_kept!: number;
}
