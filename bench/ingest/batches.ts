import { type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { signalsMessage } from '../../src/agents/signed-messages.js';
import type { SignalRow } from '../../src/signals/signals.repository.js';

// First octets whose whole /8 is ordinary unicast: no IANA special-purpose block, multicast or 240/4
// inside (0, 10, 100, 127, 169, 172, 192, 198, 203 and 224+ are left out).
const ROUTABLE_FIRST_OCTETS: readonly number[] = Array.from({ length: 223 }, (_, i) => i + 1).filter(
  (o) => ![10, 100, 127, 169, 172, 192, 198, 203].includes(o),
);

export const BENCH_SCENARIO = 'crowdsecurity/ssh-bf';
export const BENCH_SCENARIO_VERSION = '0.3';
export const BENCH_SCENARIO_HASH = 'a3f1c0de'.repeat(8);

export function routableIpv4(random: () => number = Math.random): string {
  const first = ROUTABLE_FIRST_OCTETS[Math.floor(random() * ROUTABLE_FIRST_OCTETS.length)];
  const rest = Math.floor(random() * 0x1000000);
  return `${first}.${rest >>> 16}.${(rest >>> 8) & 255}.${rest & 255}`;
}

export interface GeneratedSignal {
  ip: string;
  uuid: string;
  startedAt: string;
  stoppedAt: string;
}

export function generateSignals(count: number, nowMs: number): GeneratedSignal[] {
  const startedAt = new Date(nowMs - 90_000).toISOString();
  const stoppedAt = new Date(nowMs - 2_000).toISOString();
  return Array.from({ length: count }, () => ({ ip: routableIpv4(), uuid: randomUUID(), startedAt, stoppedAt }));
}

/** The exact body bytes an agent sends (and signs). */
export function batchBody(signals: readonly GeneratedSignal[]): Buffer {
  const items = signals.map(
    (s) =>
      `{"ip":"${s.ip}","scenario":"${BENCH_SCENARIO}","scenario_version":"${BENCH_SCENARIO_VERSION}",` +
      `"scenario_hash":"${BENCH_SCENARIO_HASH}","started_at":"${s.startedAt}","stopped_at":"${s.stoppedAt}","uuid":"${s.uuid}"}`,
  );
  return Buffer.from(`{"signals":[${items.join(',')}]}`, 'utf8');
}

export function signedHeaders(agentId: string, token: string, privateKey: KeyObject, body: Buffer, now = new Date()): Record<string, string> {
  const sentAt = now.toISOString();
  const nonce = randomBytes(18).toString('base64url');
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'x-quorum-sent-at': sentAt,
    'x-quorum-nonce': nonce,
    'x-quorum-signature': sign(null, signalsMessage(agentId, sentAt, nonce, body), privateKey).toString('base64'),
  };
}

/** The rows the service writes for those signals (what the ceiling inserts directly). */
export function signalRows(signals: readonly GeneratedSignal[]): SignalRow[] {
  return signals.map((s) => ({
    ip: s.ip,
    ipKey: s.ip,
    scope: 'ip',
    scenario: BENCH_SCENARIO,
    scenarioVersion: BENCH_SCENARIO_VERSION,
    scenarioHash: BENCH_SCENARIO_HASH,
    scenarioTrust: null,
    startedAt: new Date(s.startedAt),
    stoppedAt: new Date(s.stoppedAt),
    uuid: s.uuid,
    labels: null,
    weight: 1,
    flags: 0,
  }));
}
