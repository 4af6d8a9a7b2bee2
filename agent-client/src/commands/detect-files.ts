import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

import { type AgentConfig, loadConfig } from '../config.js';
import { Detector } from '../detect/detector.js';
import type { LogFormat } from '../detect/line-parser.js';
import { LineSplitter } from '../detect/line-splitter.js';
import { selectScenarios } from '../detect/scenario-set.js';
import { ignoredRanges, ignoreFilter } from '../net/ignore-filter.js';
import type { CliIo } from './cli-io.js';

export interface DetectOptions {
  files: string[];
  format: LogFormat;
  /** Optional: allowlist and scenarios from a config file. */
  configPath?: string;
  stdin: Readable;
}

/**
 * Runs the detector over whole files (or stdin for "-") and prints each signal as a JSON line: a dry
 * run of the scenarios on past logs, with no server involved.
 */
export async function detectFiles(o: DetectOptions, io: CliIo): Promise<number> {
  const config: Pick<AgentConfig, 'allowlist' | 'ignorePrivateAddresses' | 'scenarios'> = o.configPath
    ? await loadConfig(o.configPath)
    : { allowlist: [], ignorePrivateAddresses: true, scenarios: { disabled: [], custom: [], crossIp: [], loginMemoryMs: 86_400_000 } };
  const { scenarios, crossIpScenarios } = selectScenarios(config.scenarios);
  const detector = new Detector({
    scenarios,
    crossIpScenarios,
    loginMemoryMs: config.scenarios.loginMemoryMs,
    isIgnored: ignoreFilter(ignoredRanges(config)),
    onSignal: (s) => io.out(`${JSON.stringify(s)}\n`),
  });
  for (const file of o.files) {
    const stream = file === '-' ? o.stdin : createReadStream(file);
    const splitter = new LineSplitter(64 * 1024);
    const feed = (lines: string[]) => {
      const now = Date.now();
      for (const line of lines) detector.processLine(line, o.format, now);
    };
    for await (const chunk of stream) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      splitter.push(buf, buf.length, feed);
    }
    splitter.flush(feed);
  }
  detector.tick(detector.clock + 3_600_000); // strong evidence still in its grace period at the end of the logs
  io.err(`${JSON.stringify({ msg: 'detect done', ...detector.stats() })}\n`);
  return 0;
}
