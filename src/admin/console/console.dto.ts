import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class WorkItemDto {
  @ApiProperty({ enum: ['delisting', 'privacy'] }) type!: 'delisting' | 'privacy';
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'delisting: ip_delisting; privacy: ip_access, ip_erasure, ip_objection or organization_erasure' }) kind!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ description: 'true when an operator decides it now (a proven or reasoned delisting request)' }) decidable!: boolean;
  @ApiProperty() created_at!: string;
  @ApiProperty({ description: 'when it must be handled by (see due_rule)' }) due_at!: string;
  @ApiProperty({ description: 'the rule the deadline comes from' }) due_rule!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'delisting: the listed address' }) ip!: string | null;
  @ApiProperty({ nullable: true, type: String }) proof_method!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the holder's reason (delisting)" }) reason!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "the holder's contact while the request is open (delisting)" }) contact!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'refusal grounds (privacy)' }) grounds!: string | null;
  @ApiProperty({ nullable: true, type: String }) closed_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'delisting: who decided (operator:<id>, or rule:unreviewed-expiry)' }) decided_by!: string | null;
  @ApiProperty({ nullable: true, type: String, description: "delisting: the decision's written justification" }) justification!: string | null;
}

export class WorkQueueDto {
  @ApiProperty({ type: [WorkItemDto], description: 'open items first, by deadline (most urgent first), then items closed in the last 30 days' }) items!: WorkItemDto[];
  @ApiProperty() generated_at!: string;
}

export const AGENT_STATUSES = ['active', 'revoked', 'quarantined'] as const;

export class ConsoleAgentsQueryDto {
  @ApiPropertyOptional({ enum: AGENT_STATUSES }) @IsOptional() @IsIn(AGENT_STATUSES) status?: (typeof AGENT_STATUSES)[number];
  @ApiPropertyOptional({ description: 'part of the agent or organisation name' }) @IsOptional() @IsString() @MaxLength(100) q?: string;
}

export class ConsoleAgentDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['quorum', 'crowdsec', 'honeypot'] }) kind!: string;
  @ApiProperty({ enum: AGENT_STATUSES }) status!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() organization_name!: string;
  @ApiProperty({ enum: ['customer', 'community', 'internal'] }) organization_kind!: string;
  @ApiProperty({ nullable: true, type: Number }) asn!: number | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty() enrolled_at!: string;
  @ApiProperty({ nullable: true, type: String }) last_signal_at!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'trust lower bound from the last scoring run (0 to 1)' }) trust!: number | null;
  @ApiProperty({ enum: ['quarantined', 'established', 'building', 'low', 'unscored'] }) trust_band!: string;
  @ApiProperty({ nullable: true, type: String, description: 'when the scoring engine quarantined the reporter' }) quarantined_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'engine, canary, false_positives or contradicted' }) quarantine_reason!: string | null;
  @ApiProperty({ nullable: true, type: () => AgentReleaseDto, description: "the latest operator's release from quarantine" }) release!: AgentReleaseDto | null;
}

export class AgentReleaseDto {
  @ApiProperty({ enum: ['pending', 'released', 'not_quarantined'], description: 'pending until the next scoring run applies it' }) status!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'operator:<id>' }) requested_by!: string;
  @ApiProperty() requested_at!: string;
  @ApiProperty({ nullable: true, type: String }) applied_at!: string | null;
}

export class OrganizationContributionDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty() organization_name!: string;
  @ApiProperty({ enum: ['customer', 'community', 'internal'] }) organization_kind!: string;
  @ApiProperty() agents!: number;
  @ApiProperty() active!: number;
  @ApiProperty({ description: 'agents whose reporter the engine holds in quarantine' }) quarantined!: number;
  @ApiProperty({ description: 'agents in the established trust band' }) established!: number;
  @ApiProperty({ description: 'agents with a signal in the last 24 h' }) reporting_24h!: number;
  @ApiProperty({ nullable: true, type: String }) last_signal_at!: string | null;
}

export class ConsoleAgentListDto {
  @ApiProperty({ type: [ConsoleAgentDto] }) agents!: ConsoleAgentDto[];
  @ApiProperty({ type: [OrganizationContributionDto], description: 'per organisation of the agents listed: community first, then by agents reporting' }) organizations!: OrganizationContributionDto[];
}

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'part of the actor (operator:<id>, stripe, rule, ip-holder, ...)' }) @IsOptional() @IsString() @MaxLength(200) actor?: string;
  @ApiPropertyOptional({ description: 'part of the action (delisting.upheld, agent.revoked, ...)' }) @IsOptional() @IsString() @MaxLength(200) action?: string;
  @ApiPropertyOptional({ description: 'part of the target (agent:<id>, delisting:<id>, organization:<id>, ...)' }) @IsOptional() @IsString() @MaxLength(200) target?: string;
  @ApiPropertyOptional({ description: 'entries at or after this time (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ description: 'entries before this time (ISO 8601)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ description: 'the previous page\'s next_cursor: entries older than it' }) @IsOptional() @IsString() @Matches(/^[1-9][0-9]{0,18}$/, { message: 'before must be a cursor returned as next_cursor' }) before?: string;
}

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() at!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String }) target!: string | null;
  @ApiProperty({ nullable: true, type: Object }) details!: unknown;
}

export class AuditChainDto {
  @ApiProperty({ description: 'every link of the chain checked out' }) ok!: boolean;
  @ApiProperty({ description: 'entries checked' }) checked!: number;
  @ApiProperty({ nullable: true, type: String, description: 'id of the first entry whose link is broken' }) broken_at!: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'matching entries, newest first' }) entries!: AuditEntryDto[];
  @ApiProperty({ description: 'entries examined by this page (at most 200,000; the whole log is reached page by page)' }) searched!: number;
  @ApiProperty({ nullable: true, type: String, description: 'pass as `before` for the next, older page; null when the whole log was searched' }) next_cursor!: string | null;
  @ApiProperty({ type: AuditChainDto }) chain!: AuditChainDto;
}

export class SignalVolumeQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 30, default: 30, description: 'days ending today (UTC)' }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(30) days?: number;
}

export class SignalVolumeDayDto {
  @ApiProperty({ description: 'UTC day (YYYY-MM-DD)' }) day!: string;
  @ApiProperty({ description: 'signals received that day' }) total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'signals per scenario family (every family, 0 when none)' }) families!: Record<string, number>;
  @ApiProperty({ description: 'more than 1,000 distinct scenarios that day: the rarest are not counted' }) truncated!: boolean;
}

export class SignalVolumeDto {
  @ApiProperty({ type: [String], description: 'the scenario families, in display order (src/signals/scenario-families.ts)' }) families!: string[];
  @ApiProperty({ type: [SignalVolumeDayDto], description: 'oldest day first, today last (today so far)' }) days!: SignalVolumeDayDto[];
  @ApiProperty() generated_at!: string;
}
