import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches } from 'class-validator';
import { API_KEY_SCOPES } from '../keys/api-keys.service.js';
import type { ApiKeyRecord } from '../keys/api-keys.repository.js';

export class CreateApiKeyDto {
  @ApiProperty({ example: 'edge firewall', description: '1-64 letters, digits, spaces or . _ - @ :' })
  @IsString()
  @Matches(/^[\w .@:-]{1,64}$/, { message: 'name must be 1-64 letters, digits, spaces or . _ - @ :' })
  name!: string;

  @ApiPropertyOptional({ type: [String], enum: API_KEY_SCOPES, default: ['lookup'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes?: Array<(typeof API_KEY_SCOPES)[number]>;

  @ApiPropertyOptional({ example: '2027-06-30T00:00:00Z', description: 'ISO 8601 instant from which the key is refused (in the future, at most two years ahead); left out, the key lasts until revoked' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expires_at?: string;
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Visible start of the key, e.g. qk_AbCdEfGh' }) prefix!: string;
  @ApiProperty({ type: [String], enum: API_KEY_SCOPES }) scopes!: string[];
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) status!: 'active' | 'revoked' | 'expired';
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'refused from then on; null: until revoked' }) expires_at!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself: shown this once, only its SHA-256 is stored' }) key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) api_keys!: ApiKeyDto[];
}

/** The key as the API shows it; `now` decides whether it has expired. */
export function toApiKeyDto(record: ApiKeyRecord, now: Date): ApiKeyDto {
  return {
    id: record.id,
    organization_id: record.organizationId,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    status: record.revokedAt ? 'revoked' : record.expiresAt && record.expiresAt <= now ? 'expired' : 'active',
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
    expires_at: record.expiresAt?.toISOString() ?? null,
  };
}
