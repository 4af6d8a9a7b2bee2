import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI description of a signal (validated by signal-batch.parser.ts at ingestion speed). */
export class SignalDto {
  @ApiPropertyOptional({ description: 'Target IPv4 or IPv6 address (scope "ip")', example: '198.51.100.7' }) ip?: string;
  @ApiPropertyOptional({ description: 'Target CIDR (scope "range"), /8 or longer (IPv6 /32 or longer)' }) range?: string;
  @ApiPropertyOptional({ enum: ['ip', 'range'], default: 'ip' }) scope?: string;
  @ApiProperty({ example: 'crowdsecurity/ssh-bf' }) scenario!: string;
  @ApiPropertyOptional({ maxLength: 32 }) scenario_version?: string;
  @ApiPropertyOptional({ description: 'hex SHA-256 of the scenario definition' }) scenario_hash?: string;
  @ApiProperty({ format: 'date-time', description: 'RFC 3339; within 366 days before and 1 day after the server clock (else the batch is refused)' })
  started_at!: string;
  @ApiProperty({ format: 'date-time', description: 'RFC 3339; within 366 days before and 1 day after the server clock (else the batch is refused)' })
  stopped_at!: string;
  @ApiPropertyOptional({ description: 'Per-agent idempotency key (a resent uuid is counted as duplicate)' }) uuid?: string;
  @ApiPropertyOptional({
    description: 'Allowed keys: service, protocol, behavior, classification, remediation (strings ≤ 64), port (0-65535)',
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  })
  labels?: Record<string, string | number>;
}

export class SignalBatchDto {
  @ApiProperty({ type: [SignalDto], maxItems: 250 }) signals!: SignalDto[];
}

export class RejectedSignalDto {
  @ApiProperty({ description: 'Position in the batch' }) index!: number;
  @ApiProperty({ nullable: true, type: String }) uuid!: string | null;
  @ApiProperty({
    enum: ['invalid_ip', 'invalid_range', 'reserved_target', 'too_old', 'in_future', 'invalid_time_range', 'duplicate_uuid', 'label_not_allowed'],
  })
  reason!: string;
}

export class IngestResultDto {
  @ApiProperty({ description: 'Signals stored by this request' }) accepted!: number;
  @ApiProperty({ description: 'Signals whose uuid this agent already sent' }) duplicates!: number;
  @ApiProperty({ type: [RejectedSignalDto] }) rejected!: RejectedSignalDto[];
}
