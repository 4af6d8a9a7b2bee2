import { DEVELOPMENT_SECRET, type Env, envSchema } from './env.schema.js';
import { PUBLISHED_SECRET_VALUES, normalizeSecret, secretProblem } from './secret-strength.js';

export interface AppConfig {
  readonly env: Env['NODE_ENV'];
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly publicUrl: string | undefined;
    readonly bodyLimitBytes: number;
    readonly trustedProxies: readonly string[];
    readonly shutdownTimeoutMs: number;
    readonly docsEnabled: boolean;
  };
  /**
   * `configured`: the URL was set in the environment (false: the default applies). `replicaUrl`: a
   * streaming replica for bulk reads that tolerate lag (docs/scaling.md "Read replica"), or null.
   */
  readonly database: { readonly url: string; readonly poolSize: number; readonly configured: boolean; readonly replicaUrl: string | null };
  /**
   * Where the shared state lives (src/infra/redis): one Redis (`url`), a Redis Cluster (`clusterNodes`,
   * from REDIS_CLUSTER_NODES), or in-process maps (`memory`: the embedded mode, set by src/embedded).
   */
  readonly redis: {
    readonly url: string;
    readonly prefix: string;
    readonly configured: boolean;
    readonly backend: 'redis' | 'cluster' | 'memory';
    readonly clusterNodes: readonly string[];
  };
  /** BullMQ's datastore: Redis, or its PostgreSQL backend on `database.url` (the embedded mode). */
  readonly queue: { readonly backend: 'redis' | 'postgres' };
  readonly log: { readonly level: Env['QUORUM_LOG_LEVEL'] };
  readonly auth: { readonly jwtSecret: string; readonly jwtTtlSeconds: number };
  readonly privacy: {
    readonly pseudonymSecret: string;
    /** Retention periods in days (GDPR R1-R4, R10, R11, usage for billing). */
    readonly retention: {
      readonly signalDays: number;
      readonly signalUuidDays: number;
      readonly ipScoreDays: number;
      readonly blocklistDays: number;
      readonly explanationDays: number;
      readonly delistingDays: number;
      readonly auditDays: number;
      readonly usageDays: number;
      readonly privacyRequestDays: number;
    };
    readonly protectionDays: number;
    readonly inactiveDays: number;
    /** R13: encrypted logical backups and the erasure ledger's file copy; `dir` empty = backups off. */
    readonly backup: { readonly dir: string; readonly retentionDays: number; readonly everyHours: number };
  };
  readonly agents: {
    readonly openRegistration: boolean;
    readonly maxEnrollPerOrgPerDay: number;
    readonly maxEnrollPerNetworkPerDay: number;
    /** Per-network cap for registrations carrying an enrollment key of a known organisation. */
    readonly maxKeyedEnrollPerNetworkPerDay: number;
    readonly loginMaxPerWindow: number;
    readonly loginWindowSeconds: number;
  };
  readonly consensus: {
    readonly tickMs: number;
    readonly recomputeIntervalMs: number;
    readonly replayHours: number;
    readonly params: Readonly<Record<string, unknown>>;
    /** Engine snapshots: minutes between two (0 = no snapshots), how many are kept. */
    readonly snapshotEveryMinutes: number;
    readonly snapshotKeep: number;
    /** How often a standby worker tries to take the scoring leadership (ms). */
    readonly leaderPollMs: number;
  };
  readonly signals: {
    readonly maxPerBatch: number;
    /** Token bucket per agent: sustained refill rate, bucket size (full weight), then a debt of
     * `overflowBatches` accepted with weight 0 before 429 (src/signals/ingest-gate.service.ts). */
    readonly maxBatchesPerSecond: number;
    readonly burstBatches: number;
    readonly overflowBatches: number;
    readonly maxPerDay: number;
    readonly maxTargetsPerDay: number;
    readonly maxClockSkewSeconds: number;
  };
  readonly lookup: {
    readonly pollIntervalMs: number;
    readonly reloadMinutes: number;
    readonly neverListRefreshSeconds: number;
    readonly usageFlushSeconds: number;
    readonly keyCacheSeconds: number;
    /** UDP port of the DNSBL zone (src/dnsbl): undefined = off, 0 = any free port */
    readonly dnsblPort: number | undefined;
    readonly dnsblZone: string;
    /** local mirror feed (src/lookup/mirror, docs/lookup.md "Local mirror") */
    readonly mirror: { readonly signingKey: string | undefined; readonly publishMs: number; readonly keepDeltas: number };
  };
  readonly billing: BillingConfig;
  /** Customer email (src/members/mail): SMTP when a URL is set, else the local outbox table. */
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly from: string;
  };
  readonly blocklist: {
    readonly communitySize: number;
    readonly contributorSize: number;
    readonly contributorWindowDays: number;
    readonly ipv6Prefix: 64 | 128;
    readonly historyHours: number;
    readonly pollSeconds: number;
    readonly maxAgeSeconds: number;
    readonly rerenderSeconds: number;
    readonly cacheBytes: number;
  };
}

export interface BillingConfig {
  readonly stripeSecretKey: string | undefined;
  readonly webhookSecret: string | undefined;
  readonly apiHost: string | undefined;
  readonly apiPort: number | undefined;
  readonly apiProtocol: 'https' | 'http';
  readonly prices: Readonly<Record<string, string>>;
  readonly meterEventName: string;
  readonly webhookToleranceSeconds: number;
  readonly graceHours: number;
  readonly usageReportMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/** Production refuses guessable secrets, one secret used for two purposes, and Stripe keys sent in clear. */
function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  const published = [...PUBLISHED_SECRET_VALUES, DEVELOPMENT_SECRET];
  for (const name of ['QUORUM_JWT_SECRET', 'QUORUM_PSEUDONYM_SECRET'] as const) {
    const problem = secretProblem(env[name], published);
    if (problem) problems.push(`${name}: ${problem}`);
  }
  if (normalizeSecret(env.QUORUM_JWT_SECRET) === normalizeSecret(env.QUORUM_PSEUDONYM_SECRET)) {
    problems.push('QUORUM_PSEUDONYM_SECRET: must differ from QUORUM_JWT_SECRET (a token key must not also key the pseudonyms)');
  }
  if (env.STRIPE_API_PROTOCOL === 'http' && !LOOPBACK_HOSTS.has(env.STRIPE_API_HOST ?? '')) {
    problems.push('STRIPE_API_PROTOCOL: http is only allowed towards a loopback STRIPE_API_HOST (the secret key would travel in clear)');
  }
  return problems;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/** Parses the environment once; throws a ConfigError naming every bad variable. */
export function loadConfig(source: Record<string, string | undefined>): AppConfig {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  const env = parsed.data;
  const extra = productionProblems(env);
  if (extra.length > 0) throw new ConfigError(extra);
  return deepFreeze({
    env: env.NODE_ENV,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL,
      bodyLimitBytes: env.QUORUM_BODY_LIMIT_BYTES,
      trustedProxies: env.QUORUM_TRUSTED_PROXIES,
      shutdownTimeoutMs: env.QUORUM_SHUTDOWN_TIMEOUT_MS,
      docsEnabled: env.QUORUM_DOCS_ENABLED,
    },
    database: {
      url: env.DATABASE_URL,
      poolSize: env.DATABASE_POOL_SIZE,
      configured: cleaned.DATABASE_URL !== undefined,
      replicaUrl: env.DATABASE_REPLICA_URL ?? null,
    },
    redis: {
      url: env.REDIS_URL,
      prefix: env.REDIS_PREFIX,
      configured: cleaned.REDIS_URL !== undefined || env.REDIS_CLUSTER_NODES !== undefined,
      backend: env.REDIS_CLUSTER_NODES ? 'cluster' : 'redis',
      clusterNodes: env.REDIS_CLUSTER_NODES ?? [],
    },
    queue: { backend: 'redis' },
    log: { level: env.QUORUM_LOG_LEVEL },
    auth: { jwtSecret: env.QUORUM_JWT_SECRET, jwtTtlSeconds: env.QUORUM_JWT_TTL_SECONDS },
    privacy: {
      pseudonymSecret: env.QUORUM_PSEUDONYM_SECRET,
      retention: {
        signalDays: env.QUORUM_RETENTION_SIGNAL_DAYS,
        signalUuidDays: env.QUORUM_RETENTION_SIGNAL_UUID_DAYS,
        ipScoreDays: env.QUORUM_RETENTION_IP_SCORE_DAYS,
        blocklistDays: env.QUORUM_RETENTION_BLOCKLIST_DAYS,
        explanationDays: env.QUORUM_RETENTION_EXPLANATION_DAYS,
        delistingDays: env.QUORUM_RETENTION_DELISTING_DAYS,
        auditDays: env.QUORUM_RETENTION_AUDIT_DAYS,
        usageDays: env.QUORUM_RETENTION_USAGE_DAYS,
        privacyRequestDays: env.QUORUM_RETENTION_PRIVACY_REQUEST_DAYS,
      },
      protectionDays: env.QUORUM_PRIVACY_PROTECTION_DAYS,
      inactiveDays: env.QUORUM_PRIVACY_INACTIVE_DAYS,
      backup: { dir: env.QUORUM_BACKUP_DIR, retentionDays: env.QUORUM_BACKUP_RETENTION_DAYS, everyHours: env.QUORUM_BACKUP_EVERY_HOURS },
    },
    agents: {
      openRegistration: env.QUORUM_OPEN_REGISTRATION,
      maxEnrollPerOrgPerDay: env.QUORUM_ENROLL_MAX_PER_ORG_PER_DAY,
      maxEnrollPerNetworkPerDay: env.QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY,
      maxKeyedEnrollPerNetworkPerDay: env.QUORUM_ENROLL_MAX_KEYED_PER_NETWORK_PER_DAY,
      loginMaxPerWindow: env.QUORUM_LOGIN_MAX_PER_WINDOW,
      loginWindowSeconds: env.QUORUM_LOGIN_WINDOW_SECONDS,
    },
    consensus: {
      tickMs: env.QUORUM_SCORING_TICK_MS,
      recomputeIntervalMs: env.QUORUM_CONSENSUS_RECOMPUTE_MS,
      replayHours: env.QUORUM_CONSENSUS_REPLAY_HOURS,
      params: env.QUORUM_CONSENSUS_PARAMS,
      snapshotEveryMinutes: env.QUORUM_CONSENSUS_SNAPSHOT_MINUTES,
      snapshotKeep: env.QUORUM_CONSENSUS_SNAPSHOT_KEEP,
      leaderPollMs: env.QUORUM_SCORING_LEADER_POLL_MS,
    },
    signals: {
      maxPerBatch: env.QUORUM_SIGNALS_MAX_PER_BATCH,
      maxBatchesPerSecond: env.QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND,
      burstBatches: env.QUORUM_SIGNALS_BURST_BATCHES,
      overflowBatches: env.QUORUM_SIGNALS_OVERFLOW_BATCHES,
      maxPerDay: env.QUORUM_SIGNALS_MAX_PER_DAY,
      maxTargetsPerDay: env.QUORUM_SIGNALS_MAX_TARGETS_PER_DAY,
      maxClockSkewSeconds: env.QUORUM_SIGNALS_MAX_CLOCK_SKEW_SECONDS,
    },
    lookup: {
      pollIntervalMs: env.QUORUM_LOOKUP_POLL_MS,
      reloadMinutes: env.QUORUM_LOOKUP_RELOAD_MINUTES,
      neverListRefreshSeconds: env.QUORUM_LOOKUP_NEVER_LIST_REFRESH_SECONDS,
      usageFlushSeconds: env.QUORUM_LOOKUP_USAGE_FLUSH_SECONDS,
      keyCacheSeconds: env.QUORUM_LOOKUP_KEY_CACHE_SECONDS,
      dnsblPort: env.QUORUM_DNSBL_PORT,
      dnsblZone: env.QUORUM_DNSBL_ZONE,
      mirror: { signingKey: env.QUORUM_MIRROR_SIGNING_KEY, publishMs: env.QUORUM_MIRROR_PUBLISH_MS, keepDeltas: env.QUORUM_MIRROR_KEEP_DELTAS },
    },
    mail: { smtpUrl: env.QUORUM_SMTP_URL, from: env.QUORUM_SMTP_FROM },
    billing: {
      stripeSecretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      apiHost: env.STRIPE_API_HOST,
      apiPort: env.STRIPE_API_PORT,
      apiProtocol: env.STRIPE_API_PROTOCOL,
      prices: env.STRIPE_PRICES,
      meterEventName: env.STRIPE_METER_EVENT_NAME,
      webhookToleranceSeconds: env.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      graceHours: env.QUORUM_BILLING_GRACE_HOURS,
      usageReportMs: env.QUORUM_BILLING_USAGE_REPORT_MS,
    },
    blocklist: {
      communitySize: env.QUORUM_BLOCKLIST_COMMUNITY_SIZE,
      contributorSize: env.QUORUM_BLOCKLIST_CONTRIBUTOR_SIZE,
      contributorWindowDays: env.QUORUM_BLOCKLIST_CONTRIBUTOR_WINDOW_DAYS,
      ipv6Prefix: env.QUORUM_BLOCKLIST_IPV6_PREFIX,
      historyHours: env.QUORUM_BLOCKLIST_HISTORY_HOURS,
      pollSeconds: env.QUORUM_BLOCKLIST_POLL_SECONDS,
      maxAgeSeconds: env.QUORUM_BLOCKLIST_MAX_AGE_SECONDS,
      rerenderSeconds: env.QUORUM_BLOCKLIST_RERENDER_SECONDS,
      cacheBytes: env.QUORUM_BLOCKLIST_CACHE_MB * 1024 * 1024,
    },
  });
}

/** The only place that reads process.env. */
export function loadConfigFromProcess(overrides: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({ ...process.env, ...overrides });
}
