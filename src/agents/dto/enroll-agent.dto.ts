import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class EnrollAgentDto {
  @ApiProperty({ description: 'Display name of the agent', example: 'web-01' })
  @IsString()
  @Matches(/^[\w .@:-]{1,64}$/, { message: 'name must be 1-64 letters, digits, spaces or . _ - @ :' })
  name!: string;

  @ApiProperty({ description: 'Ed25519 public key: base64 of the raw 32 bytes, or PEM (SPKI)' })
  @IsString()
  @MaxLength(512)
  public_key!: string;

  @ApiPropertyOptional({ description: "An organisation's enrollment key; omit for open community registration" })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  enroll_key?: string;

  @ApiPropertyOptional({ type: [String], maxItems: 16 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @IsString({ each: true })
  @Matches(/^[\w.:-]{1,32}$/, { each: true, message: 'each tag must be 1-32 letters, digits or . _ - :' })
  tags?: string[];

  @ApiPropertyOptional({ type: [String], maxItems: 200, description: 'Scenarios this agent runs (tailors its blocklist)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(128, { each: true })
  scenarios?: string[];
}

export class AgentDto {
  @ApiProperty() id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['quorum', 'crowdsec', 'honeypot'] }) kind!: string;
  @ApiProperty({ enum: ['active', 'revoked', 'quarantined'] }) status!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [String] }) scenarios!: string[];
  @ApiProperty() key_version!: number;
  @ApiProperty({ nullable: true, type: Number }) asn!: number | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty() enrolled_at!: string;
  @ApiProperty({ nullable: true, type: String }) last_login_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_signal_at!: string | null;
}

export class AgentListDto {
  @ApiProperty({ type: [AgentDto] }) agents!: AgentDto[];
}
