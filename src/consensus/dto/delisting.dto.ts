import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

export class CreateDelistingDto {
  @ApiProperty({ example: '198.51.100.23' })
  @IsString()
  @MaxLength(64)
  ip!: string;
}

export class VerifyDelistingDto {
  @ApiProperty({ description: 'The token returned at creation, now served at the proof URL' })
  @IsString()
  @MaxLength(100)
  token!: string;
}

export class ReviewDelistingDto {
  @ApiProperty({ enum: ['upheld', 'rejected'] })
  @IsIn(['upheld', 'rejected'])
  outcome!: 'upheld' | 'rejected';

  @ApiProperty({ description: 'Written to the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  justification!: string;
}

export class DelistingDto {
  @ApiProperty() id!: string;
  @ApiProperty() ip!: string;
  @ApiProperty({ enum: ['pending_proof', 'verified', 'suppressed', 'upheld', 'rejected', 'expired'] }) status!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) verified_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) suppressed_until!: string | null;
  @ApiProperty({ nullable: true, type: String }) decided_at!: string | null;
}

export class CreatedDelistingDto extends DelistingDto {
  @ApiProperty({ description: 'Serve exactly this text at proof_url, then call verify' }) token!: string;
  @ApiProperty() proof_url!: string;
}

export class ExplainDto {
  @ApiProperty() ip!: string;
  @ApiProperty() listed!: boolean;
  @ApiProperty({ nullable: true, type: String }) listed_until!: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['consensus', 'honeypot'] }) reason!: string | null;
  @ApiProperty({ enum: ['0', '1-2', '3-5', '6-20', '>20'] }) reporters!: string;
  @ApiProperty({ type: [String] }) scenario_classes!: string[];
  @ApiProperty({ nullable: true, type: String }) first_seen!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_seen!: string | null;
  @ApiProperty({ description: "Whether Quorum's own sensors saw the IP" }) seen_by_sensors!: boolean;
  @ApiProperty({
    nullable: true,
    type: [String],
    description: 'Unlisted IPs: what the listing rule still lacks, in counts only (never who reported); null when listed',
  })
  missing!: string[] | null;
  @ApiPropertyOptional({ description: 'Operators only' }) score?: number;
  @ApiPropertyOptional({ description: 'Operators only' }) asns?: number;
  @ApiPropertyOptional({ description: 'Operators only' }) established?: number;
  @ApiPropertyOptional({ type: [String], description: 'Operators only: voter pseudonyms of the latest listing' }) voters?: string[];
}
