import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AgentRecord } from '../agents/agent.types.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { Clock } from '../infra/clock/clock.js';
import type { FieldProblem } from '../signals/signal-batch.parser.js';
import { type IngestResult, SignalsService } from '../signals/signals.service.js';
import { mapCapiSignals } from './capi-signals.js';
import { CrowdsecRepository } from './crowdsec.repository.js';

/** A 400 whose `errors` stays a string: CrowdSec's client decodes `{message: string, errors: string}`. */
export function crowdsecValidationError(problems: FieldProblem[]): DomainError {
  const message = problems.map((p) => `${p.field}: ${p.messages.join(', ')}`).join('; ');
  return new DomainError(ErrorCode.ValidationFailed, message || 'Invalid request');
}

/** Signals and metrics pushed by CrowdSec engines. */
@Injectable()
export class CrowdsecCapiService {
  constructor(
    private readonly signals: SignalsService,
    private readonly repository: CrowdsecRepository,
    private readonly clock: Clock,
  ) {}

  /** Validates the CAPI batch, then the native ingestion path stores it (the sender is the JWT's agent). */
  async ingestSignals(agent: AgentRecord, body: unknown): Promise<IngestResult & { skipped: number }> {
    const mapped = mapCapiSignals(body);
    if ('problems' in mapped) throw crowdsecValidationError(mapped.problems);
    if (mapped.native.signals.length === 0) return { accepted: 0, duplicates: 0, rejected: [], skipped: mapped.skipped.length };
    // The engine has no nonce: each request is its own batch (a resend is caught by signal uuids).
    const nonce = randomBytes(18).toString('base64url');
    try {
      const result = await this.signals.ingest(agent, mapped.native, nonce, this.clock.nowMs(), 'crowdsec');
      return { ...result, skipped: mapped.skipped.length };
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.ValidationFailed) throw new DomainError(error.code, error.message);
      throw error;
    }
  }

  async saveMetrics(agent: AgentRecord, kind: 'metrics' | 'usage', payload: unknown): Promise<void> {
    await this.repository.saveMetrics(agent.id, kind, payload, this.clock.now());
  }
}
