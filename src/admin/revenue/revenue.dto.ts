import { ApiProperty } from '@nestjs/swagger';

export class RevenueDayDto {
  @ApiProperty({ example: '2026-11-25' }) day!: string;
  @ApiProperty({ nullable: true, type: Number, description: "MRR in cents at the day's last snapshot (today: now); null before the first snapshot" }) mrr_cents!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'live subscriptions (active, trialing, past due); null before the first snapshot' }) live_subscriptions!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'past-due subscriptions (a failed payment Stripe retries); null before the first snapshot' }) past_due!: number | null;
  @ApiProperty({ description: 'subscriptions that started that day' }) new_subscriptions!: number;
  @ApiProperty({ description: 'subscriptions cancelled that day' }) churned_subscriptions!: number;
}

export class FailedPaymentDto {
  @ApiProperty() invoice_id!: string;
  @ApiProperty() organization_id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null once the organisation is erased' }) organization_name!: string | null;
  @ApiProperty({ description: "Stripe's status of the invoice now: open (Stripe retries), paid (a later attempt succeeded), uncollectible or void" }) stripe_status!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: "Stripe's count of payment attempts" }) attempt_count!: number;
  @ApiProperty({ nullable: true, type: String, description: "Stripe's next retry (null: none scheduled)" }) next_payment_attempt!: string | null;
  @ApiProperty({ description: 'the last failed attempt (invoice.payment_failed)' }) payment_failed_at!: string;
  @ApiProperty() created_at!: string;
}

export class TopCustomerDto {
  @ApiProperty() organization_id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'paid invoices over the last 12 months, in cents (top by revenue)' }) paid_cents!: number;
  @ApiProperty({ description: 'lookups over the last 30 days (top by usage)' }) lookups!: number;
}

export class RevenueDto {
  @ApiProperty({ description: 'MRR now, in cents' }) mrr_cents!: number;
  @ApiProperty({ type: [RevenueDayDto], description: '365 UTC days, today last' }) daily!: RevenueDayDto[];
  @ApiProperty({ nullable: true, type: String, description: 'the first day with a snapshot (the trend is blank before it, never estimated)' }) snapshots_since!: string | null;
  @ApiProperty({ type: [FailedPaymentDto], description: 'the newest 100 invoices a payment failed on' }) failed_payments!: FailedPaymentDto[];
  @ApiProperty({ type: [TopCustomerDto], description: 'the 10 organisations with the most paid invoices over 12 months' }) top_by_revenue!: TopCustomerDto[];
  @ApiProperty({ type: [TopCustomerDto], description: 'the 10 organisations with the most lookups over 30 days' }) top_by_usage!: TopCustomerDto[];
  @ApiProperty() generated_at!: string;
}
