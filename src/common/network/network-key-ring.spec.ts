import { NETWORK_KEY_ROTATION, NetworkKeyRing, rotationStep } from './network-key-ring.js';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00.000Z');
const at = (days: number, ms = 0) => new Date(t0.getTime() + days * DAY + ms);

describe('network key rotation (R6)', () => {
  it('creates the first key at once, the next one a day before it becomes current', () => {
    expect(rotationStep([], t0)).toEqual({ kind: 'create', id: 1, validFrom: t0, retireAt: at(120) });
    const keys = [{ id: 1, validFrom: t0 }];
    expect(rotationStep(keys, at(89, -60_000))).toEqual({ kind: 'none' });
    expect(rotationStep(keys, at(89, 60_000))).toEqual({ kind: 'create', id: 2, validFrom: at(90), retireAt: at(210) });
    expect(rotationStep([...keys, { id: 2, validFrom: at(90) }], at(100))).toEqual({ kind: 'none' });
  });

  it('after a long stop the successor starts now, not in the past', () => {
    expect(rotationStep([{ id: 4, validFrom: t0 }], at(400))).toEqual({ kind: 'create', id: 5, validFrom: at(400), retireAt: at(520) });
  });

  it('derives with the newest valid key and matches with every valid one', () => {
    const secret = Buffer.alloc(32);
    const ring = new NetworkKeyRing([
      { id: 1, secret, validFrom: t0, retireAt: at(120) },
      { id: 2, secret, validFrom: at(90), retireAt: at(210) },
    ]);
    expect(ring.valid(at(89)).map((k) => k.id)).toEqual([1]);
    expect(ring.valid(at(90)).map((k) => k.id)).toEqual([2, 1]);
    expect(ring.current(at(119))?.id).toBe(2);
    expect(ring.valid(at(120)).map((k) => k.id)).toEqual([2]);
    expect(ring.current(new Date(t0.getTime() - 1))).toBeNull();
    expect(NETWORK_KEY_ROTATION.rotateMs + NETWORK_KEY_ROTATION.overlapMs).toBe(120 * DAY);
  });
});
