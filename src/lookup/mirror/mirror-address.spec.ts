// The mirror's allocation-free IPv6 parser (agent-client/src/mirror/mirror-table.ts) accepts exactly
// what the agent's parser (agent-client/src/net/ip.ts) accepts, with the same value. FUZZ_SEED=<n> replays.
import { parseIPv6Words } from '../../../agent-client/src/mirror/mirror-table.js';
import { parseIPv6 } from '../../../agent-client/src/net/ip.js';
import { SeededRng } from '../../../test/support/seeded-rng.js';

function wordsValue(w: Uint16Array): bigint {
  let v = 0n;
  for (const g of w) v = (v << 16n) | BigInt(g);
  return v;
}

function check(text: string): void {
  const w = new Uint16Array(8);
  const expected = parseIPv6(text);
  const ok = parseIPv6Words(text, w);
  if (ok !== (expected !== null) || (ok && wordsValue(w) !== expected)) expect({ text, ok, value: ok ? wordsValue(w) : null }).toEqual({ text, ok: expected !== null, value: expected });
}

describe('parseIPv6Words', () => {
  it.each(['::', '::1', '1::', '2001:db8::1', '2001:DB8:0:0:8:800:200C:417A', '::ffff:203.0.113.7', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4', 'fe80::1%eth0', ':1', '1:', '1:::2', '1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', 'g::', '1.2.3.4', '::ffff:1.2.3', ''])('agrees on %s', (text) => check(text));

  it('agrees on random strings built from address characters (seeded)', () => {
    const rng = new SeededRng(Number(process.env.FUZZ_SEED ?? 20261207));
    const alphabet = ['0', '1', 'a', 'F', 'ffff', '::', ':', '.', '12', '255', 'db8', 'g', '0000', '1.2.3.4'];
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const parts = rng.range(1, 12);
      for (let k = 0; k < parts; k++) text += rng.pick(alphabet);
      check(text);
    }
    // And real addresses, formatted in every way.
    for (let n = 0; n < 5_000; n++) {
      const groups = Array.from({ length: 8 }, () => (rng.chance(0.4) ? 0 : rng.int(0x10000)));
      const full = groups.map((g) => g.toString(16)).join(':');
      check(full);
      const start = rng.int(8);
      const end = start + rng.int(8 - start) + 1;
      check(`${groups.slice(0, start).map((g) => g.toString(16)).join(':')}::${groups.slice(end).map((g) => g.toString(16)).join(':')}`);
    }
  });
});
