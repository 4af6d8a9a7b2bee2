import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CUSTOMER_SORTS, type CustomerSort } from './customer-sort.js';

export class PlanCountDto {
  @ApiProperty() plan_id!: string;
  @ApiProperty() count!: number;
}

export class CommunityHealthDto {
  @ApiProperty() active_agents!: number;
  @ApiProperty({ description: 'signals received in the last 24 hours' }) signals_per_day!: number;
  @ApiProperty() listed_ips!: number;
  @ApiProperty({ nullable: true, type: Number }) blocklist_version!: number | null;
}

export class OverviewDto {
  @ApiProperty({ description: 'monthly recurring revenue in cents (active, trialing and past-due subscriptions)' }) mrr_cents!: number;
  @ApiProperty({ type: [PlanCountDto] }) active_subscriptions_by_plan!: PlanCountDto[];
  @ApiProperty() new_subscriptions_30d!: number;
  @ApiProperty() churned_subscriptions_30d!: number;
  @ApiProperty() past_due_accounts!: number;
  @ApiProperty() lookups_today!: number;
  @ApiProperty({ description: 'sum of the daily quotas of organisations with an active key' }) quota_capacity_today!: number;
  @ApiProperty({ type: CommunityHealthDto }) community!: CommunityHealthDto;
  @ApiProperty() generated_at!: string;
}

export const ORGANIZATION_KINDS = ['customer', 'community', 'internal'] as const;

export class CustomersQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: ORGANIZATION_KINDS, default: 'customer', description: 'the kind of organisation listed' }) @IsOptional() @IsIn(ORGANIZATION_KINDS) kind?: (typeof ORGANIZATION_KINDS)[number];
  @ApiPropertyOptional({ enum: CUSTOMER_SORTS }) @IsOptional() @IsIn(CUSTOMER_SORTS) sort?: CustomerSort;
  @ApiPropertyOptional({ enum: ['asc', 'desc'] }) @IsOptional() @IsIn(['asc', 'desc']) dir?: 'asc' | 'desc';
}

export class CustomerDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANIZATION_KINDS }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'suspended by an operator since (its API keys are refused)' }) suspended_at!: string | null;
  @ApiProperty() plan_id!: string;
  @ApiProperty({ nullable: true, type: String }) status!: string | null;
  @ApiProperty({ description: 'lookups this UTC month' }) usage!: number;
  @ApiProperty({ description: "the plan's monthly quota" }) quota!: number;
  @ApiProperty() overage!: number;
  @ApiProperty({ nullable: true, type: Number }) last_invoice_cents!: number | null;
  @ApiProperty({ nullable: true, type: String }) last_invoice_status!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_invoice_at!: string | null;
}

export class CustomerListDto {
  @ApiProperty({ type: [CustomerDto] }) customers!: CustomerDto[];
}

export class DailyUsageDto {
  @ApiProperty({ example: '2026-11-25' }) day!: string;
  @ApiProperty() lookups!: number;
}

export class CustomerKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() prefix!: string;
  @ApiProperty({ type: [String] }) scopes!: string[];
  @ApiProperty() created_at!: string;
  @ApiProperty({ nullable: true, type: String }) revoked_at!: string | null;
}

export class CustomerInvoiceDto {
  @ApiProperty() id!: string;
  @ApiProperty() status!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() created_at!: string;
}

export class CustomerAgentDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() status!: string;
  @ApiProperty({ nullable: true, type: String }) last_signal_at!: string | null;
}

export class CustomerSubscriptionDto {
  @ApiProperty() id!: string;
  @ApiProperty() status!: string;
  @ApiProperty() plan_id!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty({ nullable: true, type: String }) current_period_end!: string | null;
  @ApiProperty() cancel_at_period_end!: boolean;
}

export class CustomerDetailDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() plan_id!: string;
  @ApiProperty() quota!: number;
  @ApiProperty() daily_quota!: number;
  @ApiProperty({ type: [DailyUsageDto], description: 'last 30 UTC days, zero days included' }) daily_usage!: DailyUsageDto[];
  @ApiProperty({ type: [CustomerSubscriptionDto] }) subscriptions!: CustomerSubscriptionDto[];
  @ApiProperty({ type: [CustomerKeyDto] }) keys!: CustomerKeyDto[];
  @ApiProperty({ type: [CustomerInvoiceDto] }) invoices!: CustomerInvoiceDto[];
  @ApiProperty({ type: [CustomerAgentDto] }) agents!: CustomerAgentDto[];
}
