import { ApiProperty } from '@nestjs/swagger';

export class PublicPriceDto {
  @ApiProperty({ example: 4900, description: 'in the smallest unit of the currency' }) amount_cents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty({ enum: ['month', 'year'] }) interval!: string;
  @ApiProperty({ enum: ['stripe', 'plan'], description: "stripe: the price Checkout charges; plan: the plan's list price" }) source!: string;
}

export class PublicPlanLimitsDto {
  @ApiProperty() burst_per_second!: number;
  @ApiProperty() daily_quota!: number;
  @ApiProperty() monthly_quota!: number;
  @ApiProperty({ description: 'IPs per bulk lookup (0: no bulk)' }) bulk_size!: number;
}

export class PublicPlanDto {
  @ApiProperty({ example: 'pro' }) id!: string;
  @ApiProperty({ example: 'Pro' }) name!: string;
  @ApiProperty({ type: PublicPriceDto, nullable: true, description: 'null: price on request' }) price!: PublicPriceDto | null;
  @ApiProperty({ description: 'a checkout can be started for this plan' }) purchasable!: boolean;
  @ApiProperty({ type: PublicPlanLimitsDto }) limits!: PublicPlanLimitsDto;
  @ApiProperty({ type: [String], description: 'optional answer fields of the plan' }) fields!: string[];
  @ApiProperty({ type: [String], description: 'lookup endpoints of the plan: ip, bulk, range' }) views!: string[];
}

export class PublicPlanListDto {
  @ApiProperty({ type: [PublicPlanDto] }) plans!: PublicPlanDto[];
}

export class InvoiceDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) subscription_id!: string | null;
  @ApiProperty({ example: 'paid' }) status!: string;
  @ApiProperty() amount_cents!: number;
  @ApiProperty({ example: 'usd' }) currency!: string;
  @ApiProperty() created_at!: string;
}

export class InvoiceListDto {
  @ApiProperty({ type: [InvoiceDto] }) invoices!: InvoiceDto[];
}
