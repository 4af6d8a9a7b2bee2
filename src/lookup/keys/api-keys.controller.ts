import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { auditActor } from '../../common/auth/principal-class.js';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto, toApiKeyDto } from '../dto/api-key.dto.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('lookup')
@Controller('v1/organizations/:id/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @Auth('apiKeys.create')
  @ApiOperation({ summary: 'Create a lookup API key (the key is in this answer only)', description: 'Creates an API key for the organisation with the scopes asked for (lookup, usage) and an optional expiry. The secret is in this answer only and is stored as a hash; afterwards only its prefix is shown. Audited.' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedApiKeyDto> {
    const { key, record } = await this.keys.create(id, body.name, body.scopes ?? ['lookup'], auditActor(principal));
    return { ...toApiKeyDto(record), key };
  }

  @Get()
  @Auth('apiKeys.list')
  @ApiOperation({ summary: "List an organisation's API keys (prefixes only)", description: 'The organisation\'s keys with name, prefix, scopes, creation, expiry, revocation and last use. Never the secrets.' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyListDto> {
    return { api_keys: (await this.keys.list(id)).map(toApiKeyDto) };
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
    return toApiKeyDto(await this.keys.revoke(id, keyId, auditActor(principal)));
  }
}
