import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { BouncerKeyRecord } from '../crowdsec.repository.js';

export class CreateBouncerKeyDto {
  @ApiProperty({ example: 'edge-firewall-1', description: '1-64 letters, digits, spaces or _ . : -' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w .:-]+$/, { message: 'name may hold letters, digits, space and _ . : -' })
  name!: string;
}

/** A CrowdSec bouncer key as operators see it: never the key itself. */
export class BouncerKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organization_id!: string;
  @ApiProperty({ example: 'edge-firewall-1' }) name!: string;
  @ApiProperty({ description: 'Visible start of the key, to tell keys apart' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'last GET /v1/decisions/stream with this key' }) last_pull_at!: string | null;
}

export class CreatedBouncerKeyDto extends BouncerKeyDto {
  @ApiProperty({ description: 'The key itself (X-Api-Key of the bouncer): shown this once, stored as a hash' }) key!: string;
}

export function toBouncerKeyDto(record: BouncerKeyRecord): BouncerKeyDto {
  return {
    id: record.id,
    organization_id: record.organizationId,
    name: record.name,
    prefix: record.prefix,
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
    last_pull_at: record.lastPullAt?.toISOString() ?? null,
  };
}
