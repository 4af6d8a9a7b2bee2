import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator.js';
import { BouncerKeysService } from './bouncer-keys.service.js';
import { BouncerKeyDto, CreateBouncerKeyDto, CreatedBouncerKeyDto, toBouncerKeyDto } from './dto/bouncer-key.dto.js';

/** Operators create bouncer keys (X-Api-Key for GET /v1/decisions/stream) per organisation. */
@ApiTags('crowdsec')
@Controller('v1/organizations/:organizationId/crowdsec-bouncer-keys')
export class BouncerKeysController {
  constructor(private readonly keys: BouncerKeysService) {}

  @Post()
  @Auth('bouncerKeys.create')
  @ApiOperation({ summary: 'Create a bouncer key (the key is shown once)', description: 'Creates a key with which a CrowdSec bouncer (firewall, nginx...) pulls the organisation\'s decisions from /v1/decisions/stream. The key is in this answer only and stored as a hash. Audited.' })
  @ApiCreatedResponse({ type: CreatedBouncerKeyDto })
  async create(@Param('organizationId', ParseUUIDPipe) organizationId: string, @Body() body: CreateBouncerKeyDto): Promise<CreatedBouncerKeyDto> {
    const { key, record } = await this.keys.create(organizationId, body.name);
    return { ...toBouncerKeyDto(record), key };
  }

  @Get()
  @Auth('bouncerKeys.list')
  @ApiOperation({ summary: 'List bouncer keys (never the keys themselves)', description: 'The organisation\'s bouncer keys with name, creation, last pull and revocation. Never the keys.' })
  @ApiOkResponse({ type: [BouncerKeyDto] })
  async list(@Param('organizationId', ParseUUIDPipe) organizationId: string): Promise<BouncerKeyDto[]> {
    return (await this.keys.list(organizationId)).map(toBouncerKeyDto);
  }

  @Delete(':id')
  @Auth('bouncerKeys.revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a bouncer key', description: 'Revokes the key: bouncers using it are refused from the next pull. Audited.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@Param('organizationId', ParseUUIDPipe) organizationId: string, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.keys.revoke(organizationId, id);
  }
}
