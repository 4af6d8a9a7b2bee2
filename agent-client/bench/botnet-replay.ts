import { Detector } from '../src/detect/detector.js';
import type { LogFormat } from '../src/detect/line-parser.js';
import type { BotClass, BotnetLog } from './botnet-log.js';

export interface DetectionOutcome {
  /** Bots flagged at most 5 minutes after their first attempt, as a share of all bots. */
  within5min: number;
  ever: number;
  p50DelayMs: number;
  p95DelayMs: number;
  /** Legitimate users flagged (any signal for their address). */
  falsePositives: number;
  byClass: Record<BotClass, number>;
}

const FIVE_MIN = 5 * 60_000;

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Shares and delays from the first time each address was flagged (log time). */
export function outcome(log: BotnetLog, flaggedAt: ReadonlyMap<string, number>): DetectionOutcome {
  const delays: number[] = [];
  let within = 0;
  const perClass: Record<BotClass, [number, number]> = { slow: [0, 0], moderate: [0, 0], burst: [0, 0] };
  for (const bot of log.bots) {
    perClass[bot.kind][1]++;
    const at = flaggedAt.get(bot.ip);
    if (at === undefined) continue;
    const delay = Math.max(0, at - bot.firstAt);
    delays.push(delay);
    if (delay <= FIVE_MIN) {
      within++;
      perClass[bot.kind][0]++;
    }
  }
  delays.sort((a, b) => a - b);
  const n = log.bots.length;
  return {
    within5min: within / n,
    ever: delays.length / n,
    p50DelayMs: quantile(delays, 0.5),
    p95DelayMs: quantile(delays, 0.95),
    falsePositives: log.users.filter((u) => flaggedAt.has(u.ip)).length,
    byClass: { slow: perClass.slow[0] / perClass.slow[1], moderate: perClass.moderate[0] / perClass.moderate[1], burst: perClass.burst[0] / perClass.burst[1] },
  };
}

/**
 * Replays the log through a real Detector (log time drives every bucket and window, as in
 * `quorum-agent detect`); returns when each address was first flagged, and the replay's lines/s.
 */
export function replayDetector(log: BotnetLog, format: LogFormat, newDetector: (onFlag: (ip: string) => void) => Detector): { flaggedAt: Map<string, number>; linesPerSecond: number; linesPerCpuSecond: number; signals: number } {
  const flaggedAt = new Map<string, number>();
  let clock = 0;
  let signals = 0;
  const detector = newDetector((ip) => {
    signals++;
    if (!flaggedAt.has(ip)) flaggedAt.set(ip, clock);
  });
  const receivedAt = log.end + 60_000;
  const { lines, times } = log;
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < lines.length; i++) {
    clock = times[i];
    detector.processLine(lines[i], format, receivedAt);
  }
  detector.tick(log.end + 3_600_000);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = process.cpuUsage(cpu0).user / 1e6;
  return { flaggedAt, linesPerSecond: lines.length / seconds, linesPerCpuSecond: lines.length / cpuSeconds, signals };
}

/** Fail2Ban's default jail on the same attempts: ban at the 5th failure within 10 minutes (findtime) per address. */
export function fail2banLike(log: BotnetLog, maxRetry = 5, findTimeMs = 10 * 60_000): Map<string, number> {
  const bannedAt = new Map<string, number>();
  for (const [ip, times] of log.failures) {
    const sorted = [...times].sort((a, b) => a - b);
    for (let i = maxRetry - 1; i < sorted.length; i++) {
      if (sorted[i] - sorted[i - maxRetry + 1] <= findTimeMs) {
        bannedAt.set(ip, sorted[i]);
        break;
      }
    }
  }
  return bannedAt;
}
