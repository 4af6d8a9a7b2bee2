import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, IsUUID, Matches } from 'class-validator';

export class CheckoutRequestDto {
  @ApiProperty() @IsUUID() organization_id!: string;
  @ApiProperty({ example: 'pro' }) @IsString() @Matches(/^[\w-]{1,64}$/) plan_id!: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_tld: false }) success_url?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_tld: false }) cancel_url?: string;
}

export class PlanChangeRequestDto {
  @ApiProperty() @IsUUID() organization_id!: string;
  @ApiProperty({ example: 'business', description: 'a plan with a Stripe price (STRIPE_PRICES)' }) @IsString() @Matches(/^[\w-]{1,64}$/) plan_id!: string;
}

export class PlanChangeDto {
  @ApiProperty({ description: 'the existing Stripe subscription, changed in place' }) subscription_id!: string;
  @ApiProperty({ example: 'pro' }) from_plan_id!: string;
  @ApiProperty({ example: 'business', description: 'applies when Stripe confirms the change (webhook), within seconds' }) plan_id!: string;
  @ApiProperty({ example: 'active' }) status!: string;
}

export class PortalRequestDto {
  @ApiProperty() @IsUUID() organization_id!: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_tld: false }) return_url?: string;
}

export class SessionUrlDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Where to send the operator (Stripe-hosted page)' }) url!: string;
}

export class WebhookAckDto {
  @ApiProperty() received!: boolean;
  @ApiProperty({ description: 'true when this event id was already stored (redelivery: nothing done)' }) duplicate!: boolean;
}

export class ReconciliationQueryDto {
  @ApiPropertyOptional({ example: '2026-11', description: 'UTC month (default: the current one)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/)
  period?: string;
}

export class ReconciliationRowDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty() plan_id!: string;
  @ApiProperty({ description: 'lookups counted by Quorum in the period' }) counted!: number;
  @ApiProperty({ description: "the plan's included volume (monthly quota)" }) included!: number;
  @ApiProperty({ description: 'counted beyond the included volume' }) overage!: number;
  @ApiProperty({ description: 'overage recorded for reporting (sent or pending)' }) recorded!: number;
  @ApiProperty({ description: 'overage acknowledged by Stripe as meter events' }) reported!: number;
  @ApiProperty({ description: 'recorded but not yet acknowledged' }) pending!: number;
  @ApiProperty({ description: 'overage − reported (0 when reconciled)' }) difference!: number;
}

export class ReconciliationDto {
  @ApiProperty({ example: '2026-11' }) period!: string;
  @ApiProperty({ type: [ReconciliationRowDto] }) rows!: ReconciliationRowDto[];
}
