import { SCENARIO_SEPARATOR } from './score-columns.js';

/**
 * Distinct scenario-class lists, interned: each scored IP stores one uint32 id instead of an array.
 * Id 0 is the empty list. Few distinct combinations exist next to the number of IPs.
 */
export class ScenarioSets {
  private readonly ids = new Map<string, number>([['', 0]]);
  private readonly lists: Array<readonly string[]> = [Object.freeze([])];

  /** `joined`: classes joined by SCENARIO_SEPARATOR. */
  intern(joined: string): number {
    const known = this.ids.get(joined);
    if (known !== undefined) return known;
    const id = this.lists.push(Object.freeze(joined.split(SCENARIO_SEPARATOR).filter((s) => s.length > 0))) - 1;
    this.ids.set(joined, id);
    return id;
  }

  get(id: number): readonly string[] {
    return this.lists[id] ?? this.lists[0];
  }

  get size(): number {
    return this.lists.length;
  }

  /** Rough bytes held by the interned strings (2 bytes a character plus per-entry overhead). */
  get approxBytes(): number {
    let bytes = 0;
    for (const key of this.ids.keys()) bytes += key.length * 4 + 64;
    return bytes;
  }
}
