import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches } from 'class-validator';
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
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Visible start of the key, e.g. qk_AbCdEfGh' }) prefix!: string;
  @ApiProperty({ type: [String], enum: API_KEY_SCOPES }) scopes!: string[];
  @ApiProperty({ enum: ['active', 'revoked'] }) status!: 'active' | 'revoked';
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself: shown this once, only its SHA-256 is stored' }) key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) api_keys!: ApiKeyDto[];
}

export function toApiKeyDto(record: ApiKeyRecord): ApiKeyDto {
  return {
    id: record.id,
    organization_id: record.organizationId,
    name: record.name,
    prefix: record.prefix,
    scopes: record.scopes,
    status: record.revokedAt ? 'revoked' : 'active',
    created_at: record.createdAt.toISOString(),
    revoked_at: record.revokedAt?.toISOString() ?? null,
  };
}
