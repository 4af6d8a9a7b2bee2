import { appendFileSync, writeFileSync } from 'node:fs';

import { BUILTIN_CROSS_IP_SCENARIOS, BUILTIN_SCENARIOS } from '../src/detect/builtin-scenarios.js';
import { Detector } from '../src/detect/detector.js';
import { type BotnetVariant, generateBotnetLog } from './botnet-log.js';
import { type DetectionOutcome, fail2banLike, outcome, replayDetector } from './botnet-replay.js';

const TARGET_WITHIN_5MIN: Record<BotnetVariant, number> = { ssh: 0.95, nginx: 0.9 };
export const TARGET_SSH_LINES_PER_S = 300_000;

const pct = (x: number) => `${(100 * x).toFixed(1)} %`.padStart(7);
const mins = (ms: number) => (Number.isNaN(ms) ? '    -' : `${(ms / 60_000).toFixed(1)} m`.padStart(7));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function row(label: string, o: DetectionOutcome): string {
  const cls = `slow ${pct(o.byClass.slow).trim()}, moderate ${pct(o.byClass.moderate).trim()}, burst ${pct(o.byClass.burst).trim()}`;
  return `    ${label.padEnd(30)} ${pct(o.within5min)} ${pct(o.ever)} ${mins(o.p50DelayMs)} ${mins(o.p95DelayMs)} ${String(o.falsePositives).padStart(4)}   (${cls})`;
}

function newDetector(onFlag: (ip: string) => void): Detector {
  return new Detector({ scenarios: BUILTIN_SCENARIOS, crossIpScenarios: BUILTIN_CROSS_IP_SCENARIOS, onSignal: (s) => onFlag(s.ip) });
}

/** The baseline of the same run: parsing and attempt counting only, no scenario. */
function parseOnly(onFlag: (ip: string) => void): Detector {
  return new Detector({ scenarios: [], onSignal: (s) => onFlag(s.ip) });
}

const WARMUP = 2;
const PASSES = 5;

/**
 * The ssh logs of `seeds`, one after the other, as a file: for following it in a fresh process as the
 * agent does (long enough that the process start and the first poll do not weigh on the rate).
 */
export function writeBotnetLog(path: string, seeds: number[], bots: number): number {
  let n = 0;
  writeFileSync(path, '');
  for (const seed of seeds) {
    const log = generateBotnetLog({ variant: 'ssh', seed, bots });
    appendFileSync(path, `${log.lines.join('\n')}\n`);
    n += log.lines.length;
  }
  return n;
}

/**
 * The botnet replay (issue: one server under a ~7,000-bot botnet): for each seed and variant, generate
 * the attack, replay it through the real detector and through a Fail2Ban-like rule computed on the same
 * attempts, and print the share of bots flagged within 5 minutes of their first attempt and ever, the
 * delays, and the legitimate users flagged. Returns false when a target is missed.
 */
export function runBotnetBench(seeds: number[], bots: number): boolean {
  let ok = true;
  console.log(`botnet replay: ${fmt(bots)} bots over 40 min, 150 legitimate users (15 mistype a password once, 15 a user name), seeds ${seeds.join(', ')}`);
  console.log(`    ${''.padEnd(30)} ${'<= 5 min'.padStart(7)} ${'ever'.padStart(7)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'FP'.padStart(4)}`);
  for (const variant of ['ssh', 'nginx'] as const) {
    const rates: number[] = [];
    for (const seed of seeds) {
      const log = generateBotnetLog({ variant, seed, bots });
      const format = variant === 'ssh' ? 'sshd' : 'http-access';
      // warm-up passes, then the best of PASSES for each (the machine may be shared: the best pass is the least disturbed)
      for (let p = 0; p < WARMUP; p++) replayDetector(log, format, newDetector);
      let replay = replayDetector(log, format, newDetector);
      let baseline = 0;
      for (let p = 0; p < PASSES; p++) {
        baseline = Math.max(baseline, replayDetector(log, format, parseOnly).linesPerSecond);
        if (p === 0) continue;
        const again = replayDetector(log, format, newDetector);
        if (again.linesPerSecond > replay.linesPerSecond) replay = again;
      }
      rates.push(replay.linesPerSecond);
      const agent = outcome(log, replay.flaggedAt);
      const f2b = outcome(log, fail2banLike(log));
      console.log(
        `  ${variant} seed ${seed}: ${fmt(log.lines.length)} lines, ${fmt(replay.signals)} signals, ${fmt(replay.linesPerSecond)} lines/s ` +
          `(${(replay.linesPerSecond / baseline).toFixed(2)}x the parse-only baseline of this run, ${fmt(baseline)} lines/s; ` +
          `${fmt(replay.linesPerCpuSecond)} lines per CPU second of this process, which a loaded machine does not lower)`,
      );
      console.log(row('quorum-agent (built-ins)', agent));
      console.log(row('Fail2Ban-like (5 in 10 min)', f2b));
      if (agent.within5min < TARGET_WITHIN_5MIN[variant] || agent.falsePositives > 0) ok = false;
    }
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    console.log(`  ${variant}: replay through the detector, median over seeds ${fmt(median)} lines/s; target >= ${pct(TARGET_WITHIN_5MIN[variant]).trim()} within 5 min and 0 false positives per seed`);
    if (variant === 'ssh') {
      console.log(`  ssh lines/s target >= ${fmt(TARGET_SSH_LINES_PER_S)}: ${median >= TARGET_SSH_LINES_PER_S ? 'met' : 'NOT met'}`);
      if (median < TARGET_SSH_LINES_PER_S) ok = false;
    }
  }
  return ok;
}
