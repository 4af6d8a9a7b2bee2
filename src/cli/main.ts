import { ConfigError, loadConfigFromProcess } from '../config/app-config.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { startApi } from './run-api.js';
import { startWorker } from './run-worker.js';
import { installShutdown } from './shutdown.js';

const USAGE = `Usage: quorum <command>

Commands:
  api                 run the HTTP API
  worker              run the job worker (no HTTP)
  all                 run the API, with the worker in a child process (scoring never blocks HTTP)
  all --in-process    run API and worker on one event loop (one process, as before)
  all --embedded      the same on embedded PGlite with in-process shared state (no services; --data-dir d, --demo)
  demo                embedded mode with demo agents reporting a live attack (all --embedded --demo)
  migrate             apply pending database migrations
  migrate-dev <name>  author a new migration from prisma/schema.prisma and apply it
  openapi [--out f]   write the OpenAPI document (default openapi/openapi.json) without listening
  simulate ...        replay or generate consensus scenarios (quorum simulate --help)
  backup now | verify <f> | restore <f> | replay   encrypted backups and the erasure ledger (docs/privacy.md)
  org | operator | agents | audit | never-list | canary ...   operator commands (quorum org --help)
  crowdsec connect --org <id> | crowdsec bouncer-key create --org <id>   connect a CrowdSec engine or bouncer (docs/crowdsec.md)
`;

async function serve(mode: 'api' | 'worker' | 'all', inProcess: boolean): Promise<void> {
  const config = loadConfigFromProcess();
  const logger = createRootLogger(config.log.level);
  const parts = [];
  if (mode === 'api' || mode === 'all') parts.push(await startApi(config, logger));
  if (mode === 'worker' || (mode === 'all' && inProcess)) parts.push(await startWorker(config, logger));
  if (mode === 'all' && !inProcess) {
    const { WorkerProcess } = await import('./run-worker-process.js');
    const worker = new WorkerProcess(logger);
    worker.start();
    // The API closes first (in-flight requests finish), then the worker finishes its active jobs.
    parts.push(worker);
  }
  installShutdown(parts, logger, config.http.shutdownTimeoutMs);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'api':
    case 'worker':
    case 'all':
      if (rest.includes('--embedded')) {
        if (command !== 'all') throw new Error('--embedded runs API and worker in one process: use `quorum all --embedded`');
        const { runEmbedded } = await import('../embedded/run-embedded.js');
        await runEmbedded(rest);
        return -1;
      }
      await serve(command, rest.includes('--in-process'));
      return -1;
    case 'demo': {
      const { runEmbedded } = await import('../embedded/run-embedded.js');
      await runEmbedded(['--embedded', '--demo', ...rest]);
      return -1;
    }
    case 'migrate':
    case 'migrate-dev': {
      const { runMigrate } = await import('./run-migrate.js');
      return runMigrate(command, rest);
    }
    case 'openapi': {
      const { writeOpenApi } = await import('./run-openapi.js');
      return writeOpenApi(rest);
    }
    case 'backup': {
      const { backupCommand } = await import('../privacy/backup.command.js');
      return backupCommand(rest);
    }
    case 'simulate': {
      const { simulateCommand } = await import('../consensus/simulator/simulate.command.js');
      return simulateCommand(rest);
    }
    case 'crowdsec': {
      const { runCrowdsec } = await import('./run-crowdsec.js');
      return runCrowdsec(rest);
    }
    case 'org':
    case 'operator':
    case 'agents':
    case 'audit':
    case 'never-list':
    case 'canary': {
      const { runAdmin } = await import('./run-admin.js');
      return runAdmin(command, rest);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${USAGE}`);
      return 1;
  }
}

export function runCli(argv: string[]): void {
  main(argv)
    .then((code) => {
      if (code >= 0) process.exit(code);
    })
    .catch((error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${error.message}\n`);
      } else {
        process.stderr.write(`quorum: ${(error as Error).stack ?? String(error)}\n`);
      }
      process.exit(1);
    });
}
