import { IpScoreIndex, parseIndexKey } from './ip-score-index.js';
import { ScenarioSets } from './scenario-sets.js';
import { encodeRow, ScoreColumns, type ScoreRow } from './score-columns.js';
import { V4ScoreTable } from './v4-score-table.js';
import { V6ScoreTable } from './v6-score-table.js';

/**
 * Collects a full load (rows in any order, page by page) into growable typed arrays, then sorts once.
 * Peak memory is the columns plus one sort permutation: no object per IP is kept.
 */
export class IndexBuilder {
  private v4Keys = new Uint32Array(1024);
  private readonly v4Columns = new ScoreColumns(1024);
  private readonly v6Keys: bigint[] = [];
  private readonly v6Columns = new ScoreColumns(64);
  private readonly scenarios = new ScenarioSets();
  skipped = 0;

  add(row: ScoreRow): void {
    const key = parseIndexKey(row.ipKey);
    if (!key) {
      this.skipped++;
      return;
    }
    const encoded = encodeRow(row, this.scenarios.intern(row.scenarios));
    if (key.v === 4) {
      const i = this.v4Columns.push(encoded);
      if (i >= this.v4Keys.length) {
        const grown = new Uint32Array(this.v4Columns.capacity);
        grown.set(this.v4Keys);
        this.v4Keys = grown;
      }
      this.v4Keys[i] = key.key;
    } else {
      this.v6Columns.push(encoded);
      this.v6Keys.push(key.key);
    }
  }

  get count(): number {
    return this.v4Columns.length + this.v6Columns.length;
  }

  /** `version`: the generation the load represents. */
  build(version: number): IpScoreIndex {
    const v4 = V4ScoreTable.build(this.v4Keys, this.v4Columns);
    const v6 = V6ScoreTable.build(this.v6Keys, this.v6Columns);
    return new IpScoreIndex(v4, v6, this.scenarios, version);
  }
}
