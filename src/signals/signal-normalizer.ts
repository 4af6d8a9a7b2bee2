import { cidrCovers, parseCidr, type ParsedCidr } from '../common/ip/cidr.js';
import { ipKey, networkKey, parseIp } from '../common/ip/ip-address.js';
import { specialPurpose, specialPurposeTable } from '../common/ip/special-purpose.js';
import type { RawSignal } from './signal-batch.parser.js';
import { disallowedLabel } from './signal-batch.parser.js';
import { CONSENSUS_WINDOW_MS, MAX_FUTURE_MS, MAX_SIGNAL_AGE_MS, type RejectionReason, SIGNAL_FLAGS } from './signal-rules.js';

/** A signal that passed the per-item checks: what was sent, plus its consensus key and flags. */
export interface NormalizedSignal extends Omit<RawSignal, 'ip' | 'range'> {
  index: number;
  /** canonical text of what was sent (IPv4-mapped IPv6 becomes IPv4) */
  ip: string;
  /** consensus key: IPv4, IPv6 /64, or the canonical CIDR for ranges */
  ipKey: string;
  /** the target's /24 (/48), to compare with the reporter's own network */
  targetNetwork: string;
  flags: number;
}

export interface Rejection {
  index: number;
  uuid: string | null;
  reason: RejectionReason;
}

let blockingRanges: ParsedCidr[] | undefined;

function overlapsReserved(range: ParsedCidr): boolean {
  blockingRanges ??= specialPurposeTable()
    .entries.filter((e) => e.blocksListing)
    .map((e) => parseCidr(e.cidr))
    .filter((c): c is ParsedCidr => c !== null);
  for (const block of blockingRanges) {
    if (block.version === range.version && (cidrCovers(block, range) || cidrCovers(range, block))) return true;
  }
  return false;
}

/** Per-item checks of an accepted batch (pure): bad items are rejected with a reason, the rest normalised. */
export function normalizeSignals(raw: RawSignal[], nowMs: number): { accepted: NormalizedSignal[]; rejected: Rejection[] } {
  const accepted: NormalizedSignal[] = [];
  const rejected: Rejection[] = [];
  const seenUuids = new Set<string>();
  for (let index = 0; index < raw.length; index++) {
    const s = raw[index];
    const reject = (reason: RejectionReason) => rejected.push({ index, uuid: s.uuid, reason });
    let text: string;
    let key: string;
    let network: string;
    if (s.scope === 'ip') {
      const ip = parseIp(s.ip ?? '');
      if (!ip) {
        reject('invalid_ip');
        continue;
      }
      if (specialPurpose(ip)) {
        reject('reserved_target');
        continue;
      }
      text = ip.text;
      key = ipKey(ip);
      network = networkKey(ip, 24, 48);
    } else {
      const range = parseCidr(s.range ?? '');
      if (!range || (range.version === 4 ? range.prefix < 8 : range.prefix < 32)) {
        reject('invalid_range');
        continue;
      }
      if (overlapsReserved(range)) {
        reject('reserved_target');
        continue;
      }
      text = range.text;
      key = range.text;
      network = range.text;
    }
    if (s.stoppedAt < nowMs - MAX_SIGNAL_AGE_MS) {
      reject('too_old');
      continue;
    }
    if (s.startedAt > nowMs + MAX_FUTURE_MS || s.stoppedAt > nowMs + MAX_FUTURE_MS) {
      reject('in_future');
      continue;
    }
    if (s.stoppedAt < s.startedAt) {
      reject('invalid_time_range');
      continue;
    }
    if (disallowedLabel(s.labels) !== null) {
      reject('label_not_allowed');
      continue;
    }
    if (s.uuid !== null) {
      if (seenUuids.has(s.uuid)) {
        reject('duplicate_uuid');
        continue;
      }
      seenUuids.add(s.uuid);
    }
    accepted.push({
      index,
      ip: text,
      ipKey: key,
      targetNetwork: network,
      scope: s.scope,
      scenario: s.scenario,
      scenarioVersion: s.scenarioVersion,
      scenarioHash: s.scenarioHash,
      scenarioTrust: s.scenarioTrust,
      startedAt: s.startedAt,
      stoppedAt: s.stoppedAt,
      uuid: s.uuid,
      labels: s.labels,
      flags: s.stoppedAt < nowMs - CONSENSUS_WINDOW_MS ? SIGNAL_FLAGS.stale : 0,
    });
  }
  return { accepted, rejected };
}
