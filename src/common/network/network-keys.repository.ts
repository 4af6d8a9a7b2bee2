import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';
import { type NetworkKey, rotationStep } from './network-key-ring.js';

/** `network_key`: the network pseudonym keys (network-key-ring.ts). */
@Injectable()
export class NetworkKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Keys whose secret still exists. */
  async live(): Promise<NetworkKey[]> {
    const rows = await this.prisma.db.query<{ id: number; secret: Buffer; valid_from: Date; retire_at: Date }>(
      'SELECT id, secret, valid_from, retire_at FROM network_key WHERE secret IS NOT NULL ORDER BY valid_from',
    );
    return rows.map((r) => ({ id: r.id, secret: r.secret, validFrom: r.valid_from, retireAt: r.retire_at }));
  }

  /**
   * Creates the first or the next key when due and destroys retired secrets (their pseudonyms become
   * unlinkable). Serialised across processes by an advisory lock; returns what changed.
   */
  async rotate(now: Date): Promise<{ created: number | null; destroyed: number }> {
    return this.prisma.transaction(async (tx) => {
      await tx.execute(`SELECT pg_advisory_xact_lock(hashtext('network_key_rotation'))`);
      const keys = await tx.query<{ id: number; valid_from: Date }>('SELECT id, valid_from FROM network_key');
      const step = rotationStep(keys.map((k) => ({ id: k.id, validFrom: k.valid_from })), now);
      let created: number | null = null;
      if (step.kind === 'create') {
        await tx.execute('INSERT INTO network_key (id, secret, valid_from, retire_at, created_at) VALUES ($1, $2, $3, $4, $5)', [step.id, randomBytes(32), step.validFrom, step.retireAt, now]);
        created = step.id;
      }
      const destroyed = await tx.execute('UPDATE network_key SET secret = NULL, destroyed_at = $1 WHERE secret IS NOT NULL AND retire_at <= $1', [now]);
      return { created, destroyed };
    });
  }
}
