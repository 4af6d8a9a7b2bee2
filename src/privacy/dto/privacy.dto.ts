import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';

export class CreateIpRequestDto {
  @ApiProperty({ example: '198.51.100.23' })
  @IsString()
  @MaxLength(64)
  ip!: string;

  @ApiProperty({ enum: ['access', 'erasure', 'objection'] })
  @IsIn(['access', 'erasure', 'objection'])
  kind!: 'access' | 'erasure' | 'objection';
}

export class VerifyIpRequestDto {
  @ApiProperty({ description: 'The token returned at creation, now served at the proof URL' })
  @IsString()
  @MaxLength(100)
  token!: string;
}

export class PrivacyRequestDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['organization_erasure', 'ip_access', 'ip_erasure', 'ip_objection'] }) kind!: string;
  @ApiProperty({ enum: ['pending_proof', 'processing', 'completed', 'refused', 'superseded'] }) status!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) closed_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why an erasure or objection was refused' }) grounds!: string | null;
}

export class CreatedIpRequestDto extends PrivacyRequestDto {
  @ApiProperty({ description: 'Serve exactly this text at proof_url, then call verify' }) token!: string;
  @ApiProperty() proof_url!: string;
}

export class IpRetentionDto {
  @ApiProperty({ nullable: true, type: String }) raw_signals_until!: string | null;
  @ApiProperty({ nullable: true, type: String }) aggregate_until!: string | null;
  @ApiProperty({ nullable: true, type: String }) explanations_until!: string | null;
}

export class LawfulBasisDto {
  @ApiProperty({ example: 'GDPR Art. 6(1)(f) (legitimate interests)' }) article!: string;
  @ApiProperty() explanation!: string;
}

export class RetentionPeriodsDto {
  @ApiProperty() raw_reports_days!: number;
  @ApiProperty() aggregate_days_after_last_report!: number;
  @ApiProperty() explanation_days!: number;
  @ApiProperty({ example: 96 }) published_decision_max_hours!: number;
  @ApiProperty() blocklist_history_days!: number;
  @ApiProperty() delisting_records_days_after_closure!: number;
  @ApiProperty() privacy_requests_days_after_closure!: number;
}

export class DataSubjectRightDto {
  @ApiProperty() right!: string;
  @ApiProperty() how!: string;
}

export class AutomatedDecisionDto {
  @ApiProperty() exists!: boolean;
  @ApiProperty({ description: 'The logic involved, in plain words (Art. 15(1)(h))' }) logic!: string;
  @ApiProperty() significance!: string;
  @ApiProperty() human_review!: string;
}

export class CopiedSignalDto {
  @ApiProperty() ip!: string;
  @ApiProperty() received_at!: string;
  @ApiProperty({ description: 'Kind of sensor (quorum, crowdsec, honeypot), never the reporter' }) source!: string;
  @ApiProperty() scenario!: string;
  @ApiProperty() started_at!: string;
  @ApiProperty() stopped_at!: string;
}

export class CopiedExplanationDto {
  @ApiProperty() listed_at!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() score!: number;
  @ApiProperty({ type: [String] }) scenario_classes!: string[];
  @ApiProperty() first_seen!: string;
  @ApiProperty() last_seen!: string;
}

export class CopiedBlocklistEntryDto {
  @ApiProperty() value!: string;
  @ApiProperty() scenario_class!: string;
  @ApiProperty() until!: string;
  @ApiProperty() current!: boolean;
}

export class CopiedDelistingDto {
  @ApiProperty() status!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) closed_at!: string | null;
}

/** Art. 15(3): a copy of the rows held, newest first, at most `limit` per store (the counts give the totals). */
export class IpDataCopyDto {
  @ApiProperty() limit!: number;
  @ApiProperty({ type: [CopiedSignalDto] }) signals!: CopiedSignalDto[];
  @ApiProperty({ type: [CopiedExplanationDto] }) explanations!: CopiedExplanationDto[];
  @ApiProperty({ type: [CopiedBlocklistEntryDto] }) blocklist_entries!: CopiedBlocklistEntryDto[];
  @ApiProperty({ type: [CopiedDelistingDto] }) delisting_requests!: CopiedDelistingDto[];
}

/**
 * R8 / GDPR Art. 15: the processing of the IP's data and a copy of it. No reporter identity or
 * pseudonym, by construction.
 */
export class IpAccessDto {
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ type: LawfulBasisDto }) lawful_basis!: LawfulBasisDto;
  @ApiProperty({ type: [String], description: 'Categories of personal data held' }) categories!: string[];
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty({ type: RetentionPeriodsDto }) retention_periods!: RetentionPeriodsDto;
  @ApiProperty({ description: 'Where the data come from (Art. 15(1)(g))' }) source!: string;
  @ApiProperty({ type: [DataSubjectRightDto] }) rights!: DataSubjectRightDto[];
  @ApiProperty({ description: 'Right to lodge a complaint (Art. 77)' }) complaint!: string;
  @ApiProperty({ type: AutomatedDecisionDto }) automated_decision_making!: AutomatedDecisionDto;
  @ApiProperty({ type: IpDataCopyDto }) copy!: IpDataCopyDto;
  @ApiProperty() listed!: boolean;
  @ApiProperty({ nullable: true, type: String }) listed_until!: string | null;
  @ApiProperty({ type: [String] }) scenario_classes!: string[];
  @ApiProperty({ nullable: true, type: String }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_seen!: string | null;
  @ApiProperty({ enum: ['0', '1-2', '3-5', '6-20', '>20'] }) reporters!: string;
  @ApiProperty() honeypot!: boolean;
  @ApiProperty({ type: [String] }) source_categories!: string[];
  @ApiProperty() raw_signals!: number;
  @ApiProperty() explanation_records!: number;
  @ApiProperty() delisting_requests!: number;
  @ApiProperty({ type: IpRetentionDto }) retention!: IpRetentionDto;
}

export class VerifiedIpRequestDto extends PrivacyRequestDto {
  @ApiProperty({ nullable: true, type: IpAccessDto }) access!: IpAccessDto | null;
}
