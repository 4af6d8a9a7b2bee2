import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { BLOCKLIST_FORMATS, type BlocklistFormat } from '../render/index.js';

const SCENARIOS = /^[\x21-\x2b\x2d-\x7e]{1,128}(,[\x21-\x2b\x2d-\x7e]{1,128}){0,49}$/;
const SCENARIOS_MESSAGE = 'scenarios must be 1-50 comma-separated scenario classes of 1-128 printable characters';
/**
 * A scenario class is the full scenario name an entry was listed for, as agents report it: the reference
 * agent's (`quorum/ssh-bf`) and CrowdSec's (`crowdsecurity/http-probing`). The example is one a caller
 * can paste into Swagger and get entries back.
 */
export const SCENARIOS_EXAMPLE = 'quorum/ssh-bf,crowdsecurity/http-probing';
const SCENARIOS_DESCRIPTION =
  'Keep only entries listed for these scenario classes (comma-separated full scenario names, exact match, as in the `scenario` field of the entries)';

export class BlocklistQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(BLOCKLIST_FORMATS), default: 'json' })
  @IsOptional()
  @IsIn(Object.keys(BLOCKLIST_FORMATS), { message: `format must be one of ${Object.keys(BLOCKLIST_FORMATS).join(', ')}` })
  format?: BlocklistFormat;

  @ApiPropertyOptional({ description: SCENARIOS_DESCRIPTION, example: SCENARIOS_EXAMPLE })
  @IsOptional()
  @IsString()
  @Matches(SCENARIOS, { message: SCENARIOS_MESSAGE })
  scenarios?: string;
}

export class BlocklistChangesQueryDto {
  @ApiProperty({ description: 'The version the caller holds (the `version` of its last full download or delta)', example: '42' })
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,9})$/, { message: 'since must be a version number' })
  since!: string;

  @ApiPropertyOptional({ description: `${SCENARIOS_DESCRIPTION}; use the same as for the full download`, example: SCENARIOS_EXAMPLE })
  @IsOptional()
  @IsString()
  @Matches(SCENARIOS, { message: SCENARIOS_MESSAGE })
  scenarios?: string;
}

export function scenarioList(scenarios: string | undefined): string[] {
  return scenarios === undefined ? [] : scenarios.split(',');
}

/** Documentation of the delta body (it is streamed pre-rendered, not serialised from this class). */
export class BlocklistEntryDto {
  @ApiProperty({ example: '192.0.2.1' }) value!: string;
  @ApiProperty({ enum: ['ip', 'range'] }) scope!: string;
  @ApiProperty({ example: 'quorum/ssh-bf', description: 'The scenario class the entry was listed for (what `scenarios=` filters on)' }) scenario!: string;
  @ApiProperty({ example: '2026-11-26T17:00:00.000Z' }) until!: string;
}

export class BlocklistChangesDto {
  @ApiProperty({ description: 'The current version: the next `since`' }) version!: number;
  @ApiProperty() since!: number;
  @ApiProperty({ type: [BlocklistEntryDto], description: 'Entries to add or update (by value)' }) added!: BlocklistEntryDto[];
  @ApiProperty({ type: [BlocklistEntryDto], description: 'Entries to remove (by value)' }) removed!: BlocklistEntryDto[];
}
