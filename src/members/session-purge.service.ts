import { Injectable, Logger } from '@nestjs/common';
import { OperatorAuthService } from '../admin/operator-auth.service.js';
import { Clock } from '../infra/clock/clock.js';
import { OnJob, type JobOutcome } from '../infra/queue/on-job.decorator.js';
import { JobName } from '../infra/queue/queue.constants.js';
import { SessionPurgeRepository } from './session-purge.repository.js';

/** Used one-use tokens are kept this long after use (a second click on a link says "used", not "unknown"). */
export const USED_TOKEN_GRACE_MS = 24 * 3600 * 1000;

export interface SessionPurgeReport {
  operator_session: number;
  member_session: number;
  member_token: number;
}

/**
 * The hourly purge (job `session-purge`, declared in src/infra/queue/queue.constants.ts like the other
 * retention jobs): operator and member sessions past their expiry, and the emailed one-use tokens
 * (email verification, password reset, invitations, withdrawn ones included) once expired or used a
 * day ago. An expired session or token is refused anyway; the purge keeps the tables to the live ones.
 * Operator sessions are the admin domain's table: it deletes them (table ownership, docs/architecture.md).
 */
@Injectable()
export class SessionPurgeService {
  private readonly logger = new Logger('SessionPurge');

  constructor(
    private readonly repository: SessionPurgeRepository,
    private readonly operators: OperatorAuthService,
    private readonly clock: Clock,
  ) {}

  @OnJob(JobName.SessionPurge)
  async handle(): Promise<JobOutcome> {
    const report = await this.purge();
    return Object.values(report).some((n) => n > 0) ? 'done' : 'skipped';
  }

  async purge(now: Date = this.clock.now()): Promise<SessionPurgeReport> {
    const usedBefore = new Date(now.getTime() - USED_TOKEN_GRACE_MS);
    const report = {
      operator_session: await this.operators.purgeExpiredSessions(now),
      member_session: await this.repository.deleteMemberSessions(now),
      member_token: await this.repository.deleteMemberTokens(now, usedBefore),
    };
    if (Object.values(report).some((n) => n > 0)) this.logger.log({ deleted: report }, 'expired sessions and tokens purged');
    return report;
  }
}
