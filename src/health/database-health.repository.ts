import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Readiness probe of PostgreSQL (kept in a repository: Prisma stays out of services). */
@Injectable()
export class DatabaseHealthRepository {
  constructor(private readonly prisma: PrismaService) {}

  ping(timeoutMs: number): Promise<void> {
    return this.prisma.ping(timeoutMs);
  }
}
