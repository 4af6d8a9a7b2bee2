import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

/**
 * Either a signed challenge (`agent_id`, `sent_at`, `nonce`, `signature` over
 * `"quorum-login-v1\n" + agent_id + "\n" + sent_at + "\n" + nonce`) or, for CrowdSec-style
 * watchers, `machine_id` (or `agent_id`) + `password`.
 */
export class AgentLoginDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf((o: AgentLoginDto) => o.machine_id === undefined)
  @IsUUID()
  agent_id?: string;

  @ApiPropertyOptional({ description: 'CrowdSec watcher machine id (password login)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  machine_id?: string;

  @ApiPropertyOptional({ description: 'RFC 3339 time of signing (±5 min)' })
  @ValidateIf((o: AgentLoginDto) => o.password === undefined)
  @IsString()
  @MaxLength(40)
  sent_at?: string;

  @ApiPropertyOptional({ description: '16-64 chars [A-Za-z0-9_-], single use' })
  @ValidateIf((o: AgentLoginDto) => o.password === undefined)
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{16,64}$/, { message: 'nonce must be 16-64 characters of A-Z a-z 0-9 _ -' })
  nonce?: string;

  @ApiPropertyOptional({ description: 'base64 Ed25519 signature' })
  @ValidateIf((o: AgentLoginDto) => o.password === undefined)
  @IsString()
  @MaxLength(100)
  signature?: string;

  @ApiPropertyOptional({ description: 'Password of a CrowdSec-style watcher' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  password?: string;
}

export class AgentTokenDto {
  @ApiProperty() token!: string;
  @ApiProperty({ example: 'Bearer' }) token_type!: 'Bearer';
  @ApiProperty({ description: 'RFC 3339' }) expires_at!: string;
  @ApiProperty() agent_id!: string;
}
