import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class UsageQueryDto {
  @ApiPropertyOptional({ description: 'RFC 3339 start (inclusive); default 24 h before `to`' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'RFC 3339 end (exclusive); default now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class UsageHourDto {
  @ApiProperty() hour!: string;
  @ApiProperty() api_key_id!: string;
  @ApiProperty() lookups!: number;
}

export class UsageDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [UsageHourDto] }) hours!: UsageHourDto[];
}
