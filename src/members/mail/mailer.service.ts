import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { EmailOutboxRepository } from './email-outbox.repository.js';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/** Where a message went: the SMTP server, or the local outbox (no QUORUM_SMTP_URL). */
export type Delivery = 'smtp' | 'outbox';

/**
 * Customer email. With QUORUM_SMTP_URL, messages go to that SMTP server through nodemailer; without
 * one (embedded mode, development), they are kept in the `email_outbox` table and printed to the log,
 * so a developer can follow the links (docs/customers.md). Both paths throw when the message could not
 * be handed over; callers decide whether that fails the request.
 */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;

  constructor(
    private readonly outbox: EmailOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.transport = config.mail.smtpUrl ? createTransport({ url: config.mail.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 }) : null;
    if (!this.transport && config.env === 'production') {
      this.logger.warn('QUORUM_SMTP_URL is unset in production: customer email (verification, reset, invitations) stays in the email_outbox table');
    }
  }

  /** Where messages go: through SMTP, or into the local outbox. */
  get delivery(): Delivery {
    return this.transport ? 'smtp' : 'outbox';
  }

  async send(message: OutgoingEmail): Promise<Delivery> {
    if (this.transport) {
      await this.transport.sendMail({ from: this.config.mail.from, to: message.to, subject: message.subject, text: message.text });
      return 'smtp';
    }
    await this.outbox.add(message);
    this.logger.log(`No SMTP server (QUORUM_SMTP_URL unset): message kept in email_outbox\nTo: ${message.to}\nSubject: ${message.subject}\n\n${message.text}`);
    return 'outbox';
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
