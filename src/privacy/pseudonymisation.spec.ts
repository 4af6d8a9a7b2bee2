import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../common/util/project-root.js';

const root = projectRoot();

/** The signal and scoring tables (GDPR R5): reporters appear only as HMAC pseudonyms. */
const SCORING_MODELS = ['Signal', 'Reporter', 'IpScore', 'ListingExplanation', 'BlocklistEntry', 'BlocklistVersion'];

function modelBody(schema: string, model: string): string {
  const match = new RegExp(`^model ${model} \\{([\\s\\S]*?)^\\}`, 'm').exec(schema);
  if (!match) throw new Error(`model ${model} not found`);
  return match[1];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('pseudonymisation by construction (R5, R6)', () => {
  const schema = readFileSync(join(root, 'prisma', 'schema.prisma'), 'utf8');

  it.each(SCORING_MODELS)('%s has no account identity column (email, name, agent or organisation id, raw uuid)', (model) => {
    const fields = modelBody(schema, model)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^[a-z]/i.test(l) && !l.startsWith('@@'));
    expect(fields.length).toBeGreaterThan(2);
    for (const field of fields) {
      const [name] = field.split(/\s+/);
      expect(name).not.toMatch(/email|^name$|agent|organi[sz]ation|machine|password|publicKey/i);
      expect(field).not.toContain('@db.Uuid');
    }
  });

  it('the agent table keeps network pseudonyms only, never the raw egress address (R6)', () => {
    const agent = modelBody(schema, 'Agent');
    expect(agent).toMatch(/networkPseudonym/);
    expect(agent).not.toMatch(/^\s*(ip|address|egressIp|remoteAddress|sourceIp)\s/im);
  });

  it('the pure scoring engine imports nothing from the account, admin, lookup or billing domains', () => {
    const offenders = files(join(root, 'src', 'consensus', 'scoring')).filter((file) =>
      /from '(\.\.\/)+(agents|admin|lookup|billing|crowdsec|privacy)\//.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
