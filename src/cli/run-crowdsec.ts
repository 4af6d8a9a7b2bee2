import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AgentsModule } from '../agents/agents.module.js';
import { AgentsService } from '../agents/agents.service.js';
import { createRootLogger } from '../common/logging/pino-logger.js';
import { type AppConfig, loadConfigFromProcess } from '../config/app-config.js';
import { BouncerKeysService } from '../crowdsec/bouncer-keys.service.js';
import { CrowdsecRepository } from '../crowdsec/crowdsec.repository.js';
import { AdminCliModule } from './admin-cli.module.js';
import { option } from './cli-options.js';

export const CROWDSEC_USAGE = `  crowdsec connect --org <id> [--url <quorum url>] [--out <file>]
        register a CrowdSec watcher in the organisation and print (or write, mode 0600) the
        engine's online_api_credentials.yaml; the URL defaults to PUBLIC_URL
  crowdsec bouncer-key create --org <id> [--name <name>]
        create an X-Api-Key for a CrowdSec bouncer (api_url: the Quorum URL), shown once
See docs/crowdsec.md.`;

/** The operator commands' context plus the bouncer-key service (no HTTP, no blocklist polling). */
@Module({})
class CrowdsecCliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CrowdsecCliModule,
      imports: [AdminCliModule.forRoot(config, createRootLogger('warn')), AgentsModule],
      providers: [CrowdsecRepository, BouncerKeysService],
    };
  }
}

/** What `cscli capi register` would write, had it a --url flag: `url` must end in `/`. */
export function onlineApiCredentials(url: string, login: string, password: string): string {
  const base = url.endsWith('/') ? url : `${url}/`;
  return `url: ${base}\nlogin: ${login}\npassword: ${password}\n`;
}

/** CrowdSec's own identity shapes: a 48-character machine id and a 64-character password, alphanumeric. */
export function watcherIdentity(): { machineId: string; password: string } {
  const alnum = (n: number) => {
    let out = '';
    while (out.length < n) out += randomBytes(n).toString('base64').replace(/[^A-Za-z0-9]/g, '');
    return out.slice(0, n);
  };
  return { machineId: alnum(48), password: alnum(64) };
}

/** `quorum crowdsec connect | bouncer-key create`. */
export async function runCrowdsec(args: string[], out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  const [verb, ...rest] = args;
  const sub = verb === 'bouncer-key' ? rest.shift() : undefined;
  const org = option(rest, '--org');
  const usage = () => {
    process.stderr.write(`Usage:\n${CROWDSEC_USAGE}\n`);
    return 2;
  };
  if (!org || !(verb === 'connect' || (verb === 'bouncer-key' && sub === 'create'))) return usage();
  const config = loadConfigFromProcess();
  const url = option(rest, '--url') ?? config.http.publicUrl;
  if (verb === 'connect' && !url) {
    process.stderr.write('quorum crowdsec connect: give --url https://your-quorum.example/ (or set PUBLIC_URL)\n');
    return 2;
  }
  const app = await NestFactory.createApplicationContext(CrowdsecCliModule.forRoot(config), { logger: false });
  try {
    if (verb === 'connect') {
      const { machineId, password } = watcherIdentity();
      const agent = await app.get(AgentsService).createWatcherForOrganization(org, machineId, password);
      const yaml = onlineApiCredentials(url as string, machineId, password);
      const file = option(rest, '--out');
      if (file) {
        writeFileSync(file, yaml, { mode: 0o600 });
        out(`watcher ${agent.id} registered in organisation ${org}\nwrote ${file}\n`);
      } else {
        out(`# watcher ${agent.id} in organisation ${org}\n# save as /etc/crowdsec/online_api_credentials.yaml (mode 0600), then restart crowdsec\n${yaml}`);
      }
      return 0;
    }
    const { key, record } = await app.get(BouncerKeysService).create(org, option(rest, '--name') ?? 'crowdsec-bouncer');
    out(`bouncer key ${record.id} (${record.name}) for organisation ${org}\napi_key: ${key}   (shown once)\n`);
    return 0;
  } finally {
    await app.close();
  }
}
