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
  @ApiProperty({ enum: ['pending_proof', 'processing', 'completed', 'refused'] }) status!: string;
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

/** R8: what Quorum holds about the IP. No reporter identity or pseudonym, by construction. */
export class IpAccessDto {
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
