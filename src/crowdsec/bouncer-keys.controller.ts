import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator.js';
import { BouncerKeysService } from './bouncer-keys.service.js';
import type { BouncerKeyRecord } from './crowdsec.repository.js';

export class CreateBouncerKeyDto {
  @ApiProperty({ example: 'edge-firewall-1' })
  @IsString()
  @MaxLength(64)
  @Matches(/^[\w .:-]+$/, { message: 'name may hold letters, digits, space and _ . : -' })
  name!: string;
}

function toDto(record: BouncerKeyRecord): Record<string, unknown> {
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

/** Operators create bouncer keys (X-Api-Key for GET /v1/decisions/stream) per organisation. */
@ApiTags('crowdsec')
@Controller('v1/organizations/:organizationId/crowdsec-bouncer-keys')
export class BouncerKeysController {
  constructor(private readonly keys: BouncerKeysService) {}

  @Post()
  @Auth('bouncerKeys.create')
  @ApiOperation({ summary: 'Create a bouncer key (the key is shown once)', description: 'Creates a key with which a CrowdSec bouncer (firewall, nginx...) pulls the organisation\'s decisions from /v1/decisions/stream. The key is in this answer only and stored as a hash. Audited.' })
  async create(@Param('organizationId', ParseUUIDPipe) organizationId: string, @Body() body: CreateBouncerKeyDto): Promise<Record<string, unknown>> {
    const { key, record } = await this.keys.create(organizationId, body.name);
    return { ...toDto(record), key };
  }

  @Get()
  @Auth('bouncerKeys.list')
  @ApiOperation({ summary: 'List bouncer keys (never the keys themselves)', description: 'The organisation\'s bouncer keys with name, creation, last pull and revocation. Never the keys.' })
  async list(@Param('organizationId', ParseUUIDPipe) organizationId: string): Promise<Array<Record<string, unknown>>> {
    return (await this.keys.list(organizationId)).map(toDto);
  }

  @Delete(':id')
  @Auth('bouncerKeys.revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a bouncer key', description: 'Revokes the key: bouncers using it are refused from the next pull. Audited.' })
  async revoke(@Param('organizationId', ParseUUIDPipe) organizationId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.keys.revoke(organizationId, id);
  }
}
