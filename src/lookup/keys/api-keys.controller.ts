import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { auditActor } from '../../common/auth/principal-class.js';
import { Clock } from '../../infra/clock/clock.js';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto, toApiKeyDto } from '../dto/api-key.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('lookup')
@Controller('v1/organizations/:id/api-keys')
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  @Post()
  @Auth('apiKeys.create')
  @ApiOperation({ summary: 'Create a lookup API key (the key is in this answer only)', description: 'Creates an API key for the organisation with the scopes asked for (lookup, blocklist, bouncer, usage, mirror) and an optional expiry (expires_at: in the future, at most two years ahead; from then on the key is refused like a revoked one, on every replica at once). The secret is in this answer only and is stored as a hash; afterwards only its prefix is shown. Audited.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    const { key, record } = await this.keys.create(id, body.name, body.scopes ?? ['lookup'], auditActor(principal), body.expires_at ? new Date(body.expires_at) : null);
    return { ...toApiKeyDto(record, this.clock.now()), key };
  }

  @Get()
  @Auth('apiKeys.list')
  @ApiOperation({ summary: "List an organisation's API keys (prefixes only)", description: 'The organisation\'s keys with name, prefix, scopes, creation, expiry and revocation (status active, expired or revoked); their use per day is GET /v1/organizations/{id}/usage/daily. Never the secrets.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyListDto> {
    const now = this.clock.now();
    return { api_keys: (await this.keys.list(id)).map((record) => toApiKeyDto(record, now)) };
  }

  @Delete(':keyId')
  @Auth('apiKeys.revoke')
  @ApiOperation({ summary: 'Revoke an API key: every API replica refuses it within a second', description: 'Revokes the key: every API process refuses it within a second (revocations are broadcast). Audited. Revoking a revoked key is a no-op.' })
  @ApiOkResponse({ type: ApiKeyDto })
  async revoke(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('keyId', ParseUUIDPipe) keyId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApiKeyDto> {
    return toApiKeyDto(await this.keys.revoke(id, keyId, auditActor(principal)), this.clock.now());
  }
}
