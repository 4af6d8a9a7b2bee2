import { Injectable, Module } from '@nestjs/common';
import { ScoreFiguresRepository } from './score-figures.repository.js';

/** Consensus figures for the operator dashboard (table ownership: docs/architecture.md). */
@Injectable()
export class ScoreFigures {
  constructor(private readonly repository: ScoreFiguresRepository) {}

  /** IP keys listed by the last scoring run. */
  listedCount(): Promise<number> {
    return this.repository.listedCount();
  }
}

@Module({ providers: [ScoreFiguresRepository, ScoreFigures], exports: [ScoreFigures] })
export class ScoreFiguresModule {}
