import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator.js';
import { BillingRepository } from './billing.repository.js';
import { InvoiceListDto } from './dto/public-plan.dto.js';

/** The most invoices one answer lists (newest first); the Stripe billing portal has the full history. */
const MAX_INVOICES = 100;

@ApiTags('billing')
@Controller('v1/organizations/:id/invoices')
export class InvoicesController {
  constructor(private readonly billing: BillingRepository) {}

  @Get()
  @Auth('invoices.list')
  @ApiOperation({
    summary: "The organisation's invoices as Stripe reported them (newest first, at most 100)",
    description: 'Owners, admins, billing members and viewers of the organisation, its admin and billing operators, or staff admin and billing: the invoices Stripe\'s webhooks reported (paid, open, void…), with amount and currency, newest first, at most 100.',
  })
  @ApiOkResponse({ type: InvoiceListDto })
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<InvoiceListDto> {
    const invoices = await this.billing.invoicesOf(id, MAX_INVOICES);
    return {
      invoices: invoices.map((i) => ({ id: i.id, subscription_id: i.subscriptionId, status: i.status, amount_cents: i.amountCents, currency: i.currency, created_at: i.createdAt.toISOString() })),
    };
  }
}
