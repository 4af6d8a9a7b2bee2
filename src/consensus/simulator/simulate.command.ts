import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findVariants } from './generator/catalogue.js';
import { generate } from './generator/generate.js';
import type { GroundTruth } from './generator/ground-truth.js';
import { computeMetrics } from './metrics.js';
import { runScenario } from './run-scenario.js';
import { validateScenario } from './scenario.js';

const USAGE = `usage:
  quorum simulate <scenario.json> [--out result.json] [--truth truth.json]
      replay a scenario through the consensus engine; --truth also prints the §4.3 metrics
  quorum simulate --generate <family>[:variant] --seed N [--out-dir dir]
      write <name>.scenario.json and <name>.truth.json for each variant of an adversary
      family (A0 honest, A1 sybil ring, A2 flooder, A3 slow boil, A4 replay, A5 framing,
      A6 feed copier, A7 campaign botnet)`;

interface Args {
  positional: string[];
  flags: Map<string, string>;
}

function parse(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') flags.set('help', '');
    else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else flags.set(a.slice(2), argv[++i] ?? '');
    } else positional.push(a);
  }
  return { positional, flags };
}

/** `quorum simulate ...`; returns the process exit code. */
export async function simulateCommand(argv: string[]): Promise<number> {
  const args = parse(argv);
  if (args.flags.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (args.flags.has('generate')) return generateFiles(args);
    if (args.positional.length !== 1) {
      process.stderr.write(`${USAGE}\n`);
      return 2;
    }
    return replay(args);
  } catch (err) {
    process.stderr.write(`simulate: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

function generateFiles(args: Args): number {
  const spec = args.flags.get('generate') ?? '';
  const seed = Number(args.flags.get('seed') ?? '1');
  if (!Number.isInteger(seed) || seed < 0) throw new Error('--seed must be a non-negative integer');
  const dir = args.flags.get('out-dir') ?? '.';
  mkdirSync(dir, { recursive: true });
  for (const v of findVariants(spec)) {
    const { scenario, truth } = generate(v, seed);
    const base = join(dir, scenario.name);
    writeFileSync(`${base}.scenario.json`, JSON.stringify(scenario));
    writeFileSync(`${base}.truth.json`, JSON.stringify(truth));
    process.stdout.write(`${base}.scenario.json (${scenario.events.length} events), ${base}.truth.json\n`);
  }
  return 0;
}

function replay(args: Args): number {
  const scenario = validateScenario(JSON.parse(readFileSync(args.positional[0], 'utf8')));
  const result = runScenario(scenario);
  const json = JSON.stringify(result, null, 2);
  const out = args.flags.get('out');
  if (out === undefined) process.stdout.write(`${json}\n`);
  else {
    writeFileSync(out, `${json}\n`);
    process.stderr.write(`${result.listings.length} listings, ${result.quarantined.length} quarantined, ${result.stats.events} events in ${result.stats.wallSeconds.toFixed(2)} s -> ${out}\n`);
  }
  const truthFile = args.flags.get('truth');
  if (truthFile !== undefined) {
    const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth;
    process.stderr.write(`${JSON.stringify(computeMetrics(scenario, result, truth), null, 2)}\n`);
  }
  return 0;
}
