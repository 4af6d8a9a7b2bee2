import { generateKeyPairSync } from 'node:crypto';
import { signalsMessage } from '../../src/agents/signed-messages.js';
import { verifyEd25519 } from '../../src/common/crypto/ed25519.js';
import { parseIp } from '../../src/common/ip/ip-address.js';
import { specialPurpose } from '../../src/common/ip/special-purpose.js';
import { parseSignalBatch } from '../../src/signals/signal-batch.parser.js';
import { normalizeSignals } from '../../src/signals/signal-normalizer.js';
import { batchBody, generateSignals, routableIpv4, signalRows, signedHeaders } from './batches.js';

describe('bench:ingest batches', () => {
  it('only draws routable IPv4 targets, across the whole range of first octets', () => {
    const firsts = new Set<number>();
    for (let i = 0; i < 5_000; i++) {
      const ip = parseIp(routableIpv4());
      expect(ip?.version).toBe(4);
      if (ip?.version === 4) firsts.add(ip.value >>> 24);
      expect(ip && specialPurpose(ip)).toBeNull();
    }
    expect(firsts.size).toBeGreaterThan(150);
    for (const edge of [0, 0.999999]) expect(specialPurpose(parseIp(routableIpv4(() => edge))!)).toBeNull();
  });

  it('builds bodies the service accepts whole, with unique uuids', () => {
    const now = Date.now();
    const signals = generateSignals(100, now);
    const parsed = parseSignalBatch(JSON.parse(batchBody(signals).toString('utf8')), 250);
    if (!('signals' in parsed)) throw new Error(JSON.stringify(parsed.problems));
    const { accepted, rejected } = normalizeSignals(parsed.signals, now);
    expect(rejected).toEqual([]);
    expect(accepted).toHaveLength(100);
    expect(new Set(signals.map((s) => s.uuid)).size).toBe(100);
  });

  it('signs the exact body bytes with the agent scheme', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const body = batchBody(generateSignals(3, Date.now()));
    const h = signedHeaders('agent-1', 'tok', privateKey, body);
    expect(h['x-quorum-nonce']).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(verifyEd25519(publicKey, signalsMessage('agent-1', h['x-quorum-sent-at'], h['x-quorum-nonce'], body), h['x-quorum-signature'])).toBe(true);
  });

  it('maps signals to the rows the service stores', () => {
    const [s] = generateSignals(1, Date.now());
    const [row] = signalRows([s]);
    expect(row).toEqual(expect.objectContaining({ ip: s.ip, ipKey: s.ip, scope: 'ip', uuid: s.uuid, weight: 1, flags: 0, labels: null }));
    expect(row.startedAt.toISOString()).toBe(s.startedAt);
  });
});
