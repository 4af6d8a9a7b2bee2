import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

export class DailyUsageQueryDto {
  @ApiPropertyOptional({ example: '2026-11-08', description: 'first UTC day (inclusive); default 29 days before `to`' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  from?: string;

  @ApiPropertyOptional({ example: '2026-12-07', description: 'last UTC day (inclusive); default today' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
  to?: string;
}

export class DailyUsageRowDto {
  @ApiProperty({ example: '2026-12-07' }) day!: string;
  @ApiProperty() api_key_id!: string;
  @ApiProperty() lookups!: number;
}

export class UsageKeyDto {
  @ApiProperty() api_key_id!: string;
  @ApiProperty({ example: 'qk_AbCdEfGh' }) prefix!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'lookups of this key over the period' }) lookups!: number;
}

export class DailyUsageDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty({ example: '2026-11-08' }) from!: string;
  @ApiProperty({ example: '2026-12-07' }) to!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [UsageKeyDto] }) keys!: UsageKeyDto[];
  @ApiProperty({ type: [DailyUsageRowDto], description: 'one row per key per UTC day with lookups' }) days!: DailyUsageRowDto[];
}
