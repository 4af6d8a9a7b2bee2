import { type ClosedDecision, type ListedDecision, streamDelta } from './decision-stream.js';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const HOUR = 3_600_000;

function entry(value: string, addedInVersion: number, untilOffsetMs = 24 * HOUR): ListedDecision {
  return { value, scope: 'ip', scenarioClass: 'ssh', until: new Date(NOW + untilOffsetMs), addedInVersion };
}

describe('streamDelta', () => {
  const current = [entry('1.1.1.1', 1), entry('2.2.2.2', 3), entry('3.3.3.3', 1, -HOUR / 2)];

  it('sends every active entry and no deletions on startup or without a cursor', () => {
    for (const delta of [streamDelta(current, [], { version: 2, pulledAtMs: NOW - HOUR }, true, NOW), streamDelta(current, [], null, false, NOW)]) {
      expect(delta.added.map((d) => d.value)).toEqual(['1.1.1.1', '2.2.2.2']);
      expect(delta.deleted).toEqual([]);
    }
  });

  it('sends entries opened after the cursor, and deletes closed or expired entries the consumer held', () => {
    const closed: ClosedDecision[] = [
      { ...entry('4.4.4.4', 1), removedInVersion: 3 },
      { ...entry('5.5.5.5', 1, -2 * HOUR), removedInVersion: 3 }, // had expired before the last pull
      { ...entry('1.1.1.1', 1), removedInVersion: 3 }, // replaced: listed again
    ];
    const delta = streamDelta(current, closed, { version: 2, pulledAtMs: NOW - HOUR }, false, NOW);
    expect(delta.added.map((d) => d.value)).toEqual(['2.2.2.2']);
    expect(delta.deleted.map((d) => d.value).sort()).toEqual(['3.3.3.3', '4.4.4.4']);
  });

  it('sends nothing twice', () => {
    const delta = streamDelta(current, [], { version: 3, pulledAtMs: NOW - 1000 }, false, NOW);
    expect(delta).toEqual({ added: [], deleted: [] });
  });
});
