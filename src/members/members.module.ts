import { Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { LoginThrottleService } from '../admin/login-throttle.service.js';
import { AgentsModule } from '../agents/agents.module.js';
import { LookupModule } from '../lookup/lookup.module.js';
import { EmailOutboxRepository } from './mail/email-outbox.repository.js';
import { MailerService } from './mail/mailer.service.js';
import { MemberAuthService } from './member-auth.service.js';
import { MemberSessionAuthenticator } from './member-session.authenticator.js';
import { MembersController } from './members.controller.js';
import { MembersRepository } from './members.repository.js';
import { OrganizationAgentsController } from './organization-agents.controller.js';
import { PortalPageController } from './portal-page.controller.js';
import { PortalController } from './portal.controller.js';
import { SessionPurgeRepository } from './session-purge.repository.js';
import { SessionPurgeService } from './session-purge.service.js';

/** Customer members (docs/customers.md): accounts, sessions, invitations, email. */
@Module({
  imports: [AdminModule, AgentsModule, LookupModule],
  controllers: [PortalController, PortalPageController, MembersController, OrganizationAgentsController],
  // LoginThrottleService is src/admin's throttle (stateless, counters in Redis), reused for member logins.
  providers: [MembersRepository, MemberAuthService, MemberSessionAuthenticator, MailerService, EmailOutboxRepository, LoginThrottleService, SessionPurgeRepository, SessionPurgeService],
  exports: [MailerService, MembersRepository],
})
export class MembersModule {}
