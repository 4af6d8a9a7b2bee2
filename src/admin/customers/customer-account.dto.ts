import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { MemberDto } from '../../members/dto/member.dto.js';

const REASON = { description: "the operator's reason, kept in the audit log and shown in the customer's detail", minLength: 3, maxLength: 500 };

export class SuspendOrganizationDto {
  @ApiProperty(REASON) @IsString() @MinLength(3) @MaxLength(500) @Matches(/\S{3}/, { message: 'reason must say why' }) reason!: string;
}

export class CompPlanDto {
  @ApiProperty({ description: 'the plan given free of charge (not free)', maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) @Matches(/^[a-z0-9_-]+$/) plan_id!: string;
  @ApiPropertyOptional({ description: 'start (ISO 8601); now when left out' }) @IsOptional() @IsISO8601({ strict: true }) starts_at?: string;
  @ApiProperty({ description: 'end (ISO 8601), in the future, at most 366 days after the start (which is at most 366 days ahead)' }) @IsISO8601({ strict: true }) ends_at!: string;
  @ApiProperty(REASON) @IsString() @MinLength(3) @MaxLength(500) @Matches(/\S{3}/, { message: 'reason must say why' }) reason!: string;
}

export class SubscriptionChangeDto {
  @ApiProperty() subscription_id!: string;
  @ApiProperty({ description: "Stripe's subscription status" }) status!: string;
  @ApiProperty() plan_id!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty({ description: 'when Stripe reported this state' }) at!: string;
}

export class PlanCompDto {
  @ApiProperty() id!: string;
  @ApiProperty() plan_id!: string;
  @ApiProperty() starts_at!: string;
  @ApiProperty() ends_at!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ description: 'the operator who gave it (operator:<id>)' }) granted_by!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty({ enum: ['scheduled', 'running', 'ended'] }) state!: 'scheduled' | 'running' | 'ended';
}

export class AccountInvoiceDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['paid', 'open', 'failed', 'void', 'uncollectible', 'draft'], description: "Stripe's status, with `failed` for an open invoice whose last payment attempt failed" }) state!: string;
  @ApiProperty({ description: "Stripe's status of the invoice as stored" }) stripe_status!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() created_at!: string;
  @ApiProperty() attempt_count!: number;
  @ApiProperty({ nullable: true, type: String }) payment_failed_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) next_payment_attempt!: string | null;
}

export class CustomerAccountDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['customer', 'community', 'internal'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String, description: 'suspended since (its API keys answer 403 organization_suspended)' }) suspended_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) suspension_reason!: string | null;
  @ApiProperty({ type: [SubscriptionChangeDto], description: 'every state its subscriptions went through, newest first (at most 200)' }) subscription_history!: SubscriptionChangeDto[];
  @ApiProperty({ type: [PlanCompDto], description: 'comped plans, newest first' }) comps!: PlanCompDto[];
  @ApiProperty({ type: [AccountInvoiceDto], description: 'the last 24 invoices, newest first' }) invoices!: AccountInvoiceDto[];
  @ApiProperty({ type: [MemberDto], description: "the organisation's members (people of the customer, docs/customers.md), oldest first: role, e-mail, two-factor, last sign-in" }) members!: MemberDto[];
}
