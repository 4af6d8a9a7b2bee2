import { z } from 'zod';
import { consensusParamsProblem } from '../consensus/scoring/params.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const csv = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter((s) => s.length > 0));

const DEV_SECRET = 'quorum-development-secret-do-not-use-in-production';

/**
 * Every environment variable Quorum reads. Defaults are given only where they are safe; secrets have
 * development defaults that production refuses (see `productionProblems` in app-config.ts and
 * secret-strength.ts).
 * The README's configuration table is checked against this object by a test.
 */
export const ENV_SCHEMA = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/quorum'),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  /** A streaming read replica of DATABASE_URL for the lookup index loads and blocklist reads (docs/scaling.md "Read replica"). */
  DATABASE_REPLICA_URL: z.url().optional(),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379/0'),
  REDIS_PREFIX: z.string().regex(/^[a-z0-9-]+$/).default('quorum'),
  /** A Redis Cluster instead of REDIS_URL: seed nodes `host:port` (or `redis://[user:pass@]host:port`), comma-separated (docs/scaling.md "Redis Cluster"). */
  REDIS_CLUSTER_NODES: csv.pipe(z.array(z.string().regex(/^(rediss?:\/\/([^@/\s]+@)?)?[A-Za-z0-9.\-_]+:\d{1,5}\/?$/, 'host:port or redis://[user:pass@]host:port')).max(64)).optional(),
  QUORUM_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  QUORUM_BODY_LIMIT_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  QUORUM_TRUSTED_PROXIES: csv.default([]),
  QUORUM_SHUTDOWN_TIMEOUT_MS: int(100, 120_000).default(10_000),
  QUORUM_JWT_SECRET: z.string().min(32).default(DEV_SECRET),
  QUORUM_JWT_TTL_SECONDS: int(60, 24 * 3600).default(3600),
  QUORUM_PSEUDONYM_SECRET: z.string().min(32).default(DEV_SECRET),
  QUORUM_RETENTION_SIGNAL_DAYS: int(1, 3650).default(30),
  QUORUM_RETENTION_SIGNAL_UUID_DAYS: int(1, 3650).default(7),
  QUORUM_RETENTION_IP_SCORE_DAYS: int(1, 3650).default(90),
  QUORUM_RETENTION_BLOCKLIST_DAYS: int(1, 3650).default(7),
  QUORUM_RETENTION_EXPLANATION_DAYS: int(1, 3650).default(30),
  QUORUM_RETENTION_DELISTING_DAYS: int(1, 3650).default(365),
  QUORUM_RETENTION_AUDIT_DAYS: int(1, 3650).default(365),
  QUORUM_RETENTION_USAGE_DAYS: int(1, 3650).default(400),
  QUORUM_RETENTION_PRIVACY_REQUEST_DAYS: int(1, 3650).default(365),
  QUORUM_PRIVACY_PROTECTION_DAYS: int(1, 365).default(30),
  QUORUM_PRIVACY_INACTIVE_DAYS: int(1, 365).default(7),
  QUORUM_BACKUP_DIR: z.string().max(1000).default(''),
  QUORUM_BACKUP_RETENTION_DAYS: int(1, 3650).default(35),
  QUORUM_BACKUP_EVERY_HOURS: int(1, 24 * 35).default(24),
  QUORUM_DOCS_ENABLED: bool.default(true),
  QUORUM_OPEN_REGISTRATION: bool.default(true),
  QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: int(1, 100_000).default(5),
  QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: int(1, 100_000).default(3),
  QUORUM_ENROLL_MAX_KEYED_PER_NETWORK_PER_DAY: int(1, 100_000).default(50),
  QUORUM_LOGIN_MAX_PER_WINDOW: int(1, 100_000).default(20),
  QUORUM_LOGIN_WINDOW_SECONDS: int(1, 86_400).default(3000),
  QUORUM_SIGNALS_MAX_PER_BATCH: int(1, 10_000).default(250),
  QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: int(1, 10_000).default(2),
  QUORUM_SIGNALS_BURST_BATCHES: int(1, 100_000).default(60),
  QUORUM_SIGNALS_OVERFLOW_BATCHES: int(0, 100_000).default(60),
  QUORUM_SIGNALS_MAX_PER_DAY: int(1, 100_000_000).default(20_000),
  QUORUM_SIGNALS_MAX_TARGETS_PER_DAY: int(1, 10_000_000).default(2_000),
  QUORUM_SIGNALS_MAX_CLOCK_SKEW_SECONDS: int(1, 3600).default(300),
  QUORUM_BLOCKLIST_COMMUNITY_SIZE: int(0, 100_000_000).default(3_000),
  QUORUM_BLOCKLIST_CONTRIBUTOR_SIZE: int(0, 100_000_000).default(15_000),
  QUORUM_BLOCKLIST_CONTRIBUTOR_WINDOW_DAYS: int(1, 365).default(7),
  QUORUM_BLOCKLIST_IPV6_PREFIX: z.enum(['64', '128']).default('64').transform((v) => (v === '128' ? 128 : 64)),
  QUORUM_BLOCKLIST_HISTORY_HOURS: int(1, 24 * 365).default(72),
  QUORUM_BLOCKLIST_POLL_SECONDS: int(1, 3600).default(5),
  QUORUM_BLOCKLIST_MAX_AGE_SECONDS: int(0, 86_400).default(60),
  QUORUM_BLOCKLIST_RERENDER_SECONDS: int(0, 3600).default(10),
  QUORUM_BLOCKLIST_CACHE_MB: int(1, 65_536).default(256),
  QUORUM_SMTP_URL: z.url().refine((u) => /^smtps?:\/\//.test(u), 'smtp:// or smtps://').optional(),
  QUORUM_SMTP_FROM: z.string().min(3).max(254).default('Quorum <no-reply@quorum.localhost>'),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_[A-Za-z0-9_]+$/).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9_]+$/).optional(),
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: int(1, 65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['https', 'http']).default('https'),
  STRIPE_PRICES: z
    .string()
    .transform((text, ctx) => {
      const map: Record<string, string> = {};
      for (const pair of text.split(',').map((s) => s.trim()).filter(Boolean)) {
        const match = /^([\w-]{1,64})=(price_[A-Za-z0-9_]+)$/.exec(pair);
        if (!match) {
          ctx.addIssue({ code: 'custom', message: 'must be plan=price_id pairs separated by commas' });
          return z.NEVER;
        }
        map[match[1]] = match[2];
      }
      return map;
    })
    .default({}),
  STRIPE_METER_EVENT_NAME: z.string().regex(/^[a-z0-9_]{1,100}$/).default('quorum_lookup_overage'),
  STRIPE_WEBHOOK_TOLERANCE_SECONDS: int(1, 3600).default(300),
  QUORUM_BILLING_GRACE_HOURS: int(0, 24 * 90).default(72),
  QUORUM_BILLING_USAGE_REPORT_MS: int(60_000, 86_400_000).default(3_600_000),
  QUORUM_SCORING_TICK_MS: int(1_000, 3_600_000).default(15_000),
  QUORUM_CONSENSUS_RECOMPUTE_MS: int(60_000, 7 * 86_400_000).default(6 * 3_600_000),
  QUORUM_CONSENSUS_REPLAY_HOURS: int(1, 24 * 60).default(7 * 24),
  // Engine snapshots (src/consensus/snapshot): every N minutes and at shutdown, 0 = off; how many kept.
  QUORUM_CONSENSUS_SNAPSHOT_MINUTES: int(0, 24 * 60).default(10),
  QUORUM_CONSENSUS_SNAPSHOT_KEEP: int(1, 50).default(3),
  // How often a standby worker tries to take the scoring leadership (src/worker/scoring-leadership.ts).
  QUORUM_SCORING_LEADER_POLL_MS: int(100, 60_000).default(2_000),
  QUORUM_CONSENSUS_PARAMS: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          // Unknown names, wrong types and decision lifetimes over 96 h (GDPR R3) fail the boot.
          const problem = consensusParamsProblem(value as Record<string, unknown>);
          if (problem === null) return value as Record<string, unknown>;
          ctx.addIssue({ code: 'custom', message: problem });
          return z.NEVER;
        }
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object of consensus parameter overrides' });
      return z.NEVER;
    })
    .default({}),
  QUORUM_LOOKUP_POLL_MS: int(100, 600_000).default(2_000),
  QUORUM_LOOKUP_RELOAD_MINUTES: int(0, 7 * 24 * 60).default(60),
  QUORUM_LOOKUP_NEVER_LIST_REFRESH_SECONDS: int(5, 86_400).default(300),
  QUORUM_LOOKUP_USAGE_FLUSH_SECONDS: int(1, 3_600).default(10),
  QUORUM_LOOKUP_KEY_CACHE_SECONDS: int(1, 3_600).default(60),
  QUORUM_DNSBL_PORT: int(0, 65535).optional(),
  QUORUM_DNSBL_ZONE: z
    .string()
    .regex(/^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lower-case DNS name')
    .default('dnsbl.quorum.localhost'),
  // Local mirror feed (src/lookup/mirror): Ed25519 signing key (PKCS#8 PEM or base64 32-byte seed;
  // generated per process when unset outside production), publish check interval, deltas kept.
  QUORUM_MIRROR_SIGNING_KEY: z.string().min(1).optional(),
  QUORUM_MIRROR_PUBLISH_MS: int(50, 60_000).default(500),
  QUORUM_MIRROR_KEEP_DELTAS: int(1, 100_000).default(2_000),
} as const;

export const DEVELOPMENT_SECRET = DEV_SECRET;
export const envSchema = z.object(ENV_SCHEMA);
export type Env = z.infer<typeof envSchema>;
