import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MAX_BULK_SIZE, PLAN_FIELDS, PLAN_VIEWS, type PlanField, type PlanRecord, type PlanView } from '../plans/plan.types.js';

const MAX_QUOTA = 2_000_000_000;

export class PlanDto {
  @ApiProperty({ example: 'pro' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'Requests per second per organisation (a bulk request counts once)' }) burst_per_second!: number;
  @ApiProperty({ description: 'Lookups per UTC day per organisation (a bulk request counts each IP)' }) daily_quota!: number;
  @ApiProperty({ description: 'Lookups per UTC month per organisation' }) monthly_quota!: number;
  @ApiProperty({ description: `IPs per bulk request (at most ${MAX_BULK_SIZE})` }) bulk_size!: number;
  @ApiProperty({ type: [String], enum: PLAN_FIELDS }) fields!: string[];
  @ApiProperty({ type: [String], enum: PLAN_VIEWS }) views!: string[];
  @ApiProperty() updated_at!: string;
}

export class PlanListDto {
  @ApiProperty({ type: [PlanDto] }) plans!: PlanDto[];
}

/** Every property optional: only those given change. */
export class UpdatePlanDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[\w .-]{1,64}$/) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(1_000_000) burst_per_second?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_QUOTA) daily_quota?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_QUOTA) monthly_quota?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_BULK_SIZE) bulk_size?: number;

  @ApiPropertyOptional({ type: [String], enum: PLAN_FIELDS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PLAN_FIELDS.length)
  @IsIn(PLAN_FIELDS, { each: true })
  fields?: PlanField[];

  @ApiPropertyOptional({ type: [String], enum: PLAN_VIEWS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PLAN_VIEWS.length)
  @IsIn(PLAN_VIEWS, { each: true })
  views?: PlanView[];
}

export class OrganizationPlanDto {
  @ApiProperty({ example: 'business' }) @IsString() @Matches(/^[\w-]{1,64}$/) plan_id!: string;
}

export function toPlanDto(plan: PlanRecord): PlanDto {
  return {
    id: plan.id,
    name: plan.name,
    burst_per_second: plan.burstPerSecond,
    daily_quota: plan.dailyQuota,
    monthly_quota: plan.monthlyQuota,
    bulk_size: plan.bulkSize,
    fields: plan.fields,
    views: plan.views,
    updated_at: plan.updatedAt.toISOString(),
  };
}
