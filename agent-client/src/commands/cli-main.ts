import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';

import { AgentRuntime } from '../agent/agent-runtime.js';
import { ConfigError, loadConfig } from '../config.js';
import { LOG_FORMATS, type LogFormat } from '../detect/line-parser.js';
import { KeyFileError } from '../sign/agent-keys.js';
import { printBlocklist, printToken } from './api-by-hand.js';
import { checkConfig } from './check-config.js';
import { CliError, type CliIo, configPathFrom } from './cli-io.js';
import { detectFiles } from './detect-files.js';
import type { FetchLike } from '../http/http-request.js';
import { jsonLogger } from '../util/logger.js';
import { initAgent } from './init.js';
import { lookupIp } from './lookup.js';
import { runMirror } from './mirror.js';
import { registerAgent } from './register.js';
import { showStatus } from './status.js';

const USAGE = `usage: quorum-agent <command> [options]

commands:
  init          create the config file (if missing), the state directory and the Ed25519 key pair
                  --server URL  --state-dir DIR  --force (rewrite an existing config; keys are kept)
  register      enroll this agent's public key with the server
                  --enroll-key KEY (an organisation's key; without one, the server's open registration)
                  --name NAME (default: host name)  --tag T (repeatable)  --force
  run           follow the logs, detect, push signals, pull and apply the blocklist (until SIGTERM/SIGINT)
  status        registration and the running agent's status file
  lookup IP     ask the server what it knows about an address (GET /v1/ip/IP), print the JSON answer
                  --api-key KEY (default $QUORUM_API_KEY)  --server URL (default: the config's)
  mirror        keep a local, signed copy of the scored index (premium plans) and answer local programs
                  GET /v1/ip/IP, GET /check (nginx auth_request: 200 allow, 403 deny), GET /healthz
                  --api-key KEY (mirror scope; default $QUORUM_API_KEY)  --server URL
                  --listen HOST:PORT (default 127.0.0.1:8181) | --socket PATH
                  --deny-score N (0-101, default 63; listed addresses are always denied)
                  --fail-closed (deny while no copy is loaded)  --public-key B64 (pin)
                  --state-dir DIR (default <stateDir>/mirror)  --mirror-id ID (default: host name)
  token         log in with the agent key and print a bearer token (for curl)
  blocklist     print the community blocklist as the server renders it
                  --format json|txt|csv|nftables|ipset (default txt)
  check-config  validate the config file and print it with defaults filled in
  detect        run the scenarios over whole log files (or - for stdin), print signals as JSON lines
                  --format auto|sshd|http-access   --config PATH (allowlist and scenarios from it)
  help          this text

common options:
  --config PATH   config file (default $QUORUM_AGENT_CONFIG or /etc/quorum-agent/config.json)
`;

export interface CliContext {
  stdin: Readable;
  /** `run` stops when this settles (the process passes SIGTERM/SIGINT). */
  stop: Promise<unknown>;
  fetchImpl?: FetchLike;
}

/** The CLI without the process: returns the exit status. */
export async function runCli(argv: string[], io: CliIo, ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'init': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, server: { type: 'string' }, 'state-dir': { type: 'string' }, force: { type: 'boolean', default: false } } });
        await initAgent({ configPath: configPathFrom(values.config, io), server: values.server, stateDir: values['state-dir'], force: values.force ?? false }, io);
        return 0;
      }
      case 'register': {
        const { values } = parseArgs({
          args: rest,
          options: { config: { type: 'string' }, 'enroll-key': { type: 'string' }, name: { type: 'string' }, tag: { type: 'string', multiple: true }, force: { type: 'boolean', default: false } },
        });
        return await registerAgent({ configPath: configPathFrom(values.config, io), enrollKey: values['enroll-key'], name: values.name, tags: values.tag ?? [], force: values.force ?? false, fetchImpl: ctx.fetchImpl }, io);
      }
      case 'run': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        const config = await loadConfig(configPathFrom(values.config, io));
        const runtime = new AgentRuntime(config, jsonLogger(config.logLevel, io.err), { fetchImpl: ctx.fetchImpl });
        await runtime.start();
        await ctx.stop;
        await runtime.stop();
        return 0;
      }
      case 'status': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        return await showStatus(configPathFrom(values.config, io), io);
      }
      case 'lookup': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string' }, 'api-key': { type: 'string' }, server: { type: 'string' } } });
        if (positionals.length !== 1) throw new CliError('lookup: give exactly one IP address');
        return await lookupIp({ ip: positionals[0], apiKey: values['api-key'], server: values.server, configPath: configPathFrom(values.config, io), fetchImpl: ctx.fetchImpl }, io);
      }
      case 'mirror': {
        const { values } = parseArgs({
          args: rest,
          options: {
            config: { type: 'string' },
            'api-key': { type: 'string' },
            server: { type: 'string' },
            listen: { type: 'string' },
            socket: { type: 'string' },
            'deny-score': { type: 'string' },
            'fail-closed': { type: 'boolean', default: false },
            'public-key': { type: 'string' },
            'state-dir': { type: 'string' },
            'mirror-id': { type: 'string' },
          },
        });
        return await runMirror(
          {
            apiKey: values['api-key'],
            server: values.server,
            configPath: configPathFrom(values.config, io),
            listen: values.listen,
            socket: values.socket,
            denyScore: values['deny-score'],
            failClosed: values['fail-closed'],
            publicKey: values['public-key'],
            stateDir: values['state-dir'],
            mirrorId: values['mirror-id'],
            stop: ctx.stop,
            fetchImpl: ctx.fetchImpl,
          },
          io,
        );
      }
      case 'token': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        return await printToken({ configPath: configPathFrom(values.config, io), fetchImpl: ctx.fetchImpl }, io);
      }
      case 'blocklist': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' }, format: { type: 'string', default: 'txt' } } });
        return await printBlocklist({ configPath: configPathFrom(values.config, io), format: values.format ?? 'txt', fetchImpl: ctx.fetchImpl }, io);
      }
      case 'check-config': {
        const { values } = parseArgs({ args: rest, options: { config: { type: 'string' } } });
        return await checkConfig(configPathFrom(values.config, io), io);
      }
      case 'detect': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { config: { type: 'string' }, format: { type: 'string', default: 'auto' } } });
        const format = values.format as LogFormat;
        if (!LOG_FORMATS.includes(format)) throw new CliError(`--format must be one of ${LOG_FORMATS.join(', ')}`);
        if (positionals.length === 0) throw new CliError('detect: give at least one file (or - for stdin)');
        return await detectFiles({ files: positionals, format, configPath: values.config, stdin: ctx.stdin }, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`unknown command: ${command}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof CliError || e instanceof ConfigError || e instanceof KeyFileError) {
      io.err(`quorum-agent: ${e.message}\n`);
      return 1;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.err(`quorum-agent: ${(e as Error).message}\n`);
      return 2;
    }
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EEXIST') {
      io.err(`quorum-agent: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}
