import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Read side of the scores for the operator dashboard (src/consensus/score-figures.ts). */
@Injectable()
export class ScoreFiguresRepository {
  constructor(private readonly prisma: PrismaService) {}

  listedCount(): Promise<number> {
    return this.prisma.ipScore.count({ where: { listed: true } });
  }
}
