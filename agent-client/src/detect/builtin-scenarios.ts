import type { CrossIpScenarioDefinition } from './cross-ip-scenario.js';
import type { ScenarioDefinition } from './scenario.js';

/** The sshd events of a failed attempt (one count per attempt, see detect/ssh-attempts.ts). */
const SSH_ATTEMPT_KINDS = ['ssh_auth_failed', 'ssh_preauth_closed', 'ssh_max_auth', 'ssh_not_allowed', 'ssh_invalid_user'] as const;

/** Paths that only scanners and attackers ask for: secrets, VCS metadata, admin panels, known exploits. */
export const SENSITIVE_PATHS: readonly string[] = [
  '/.env', '/.git/', '/.git/config', '/.svn/', '/.hg/', '/.aws/', '/.ssh/', '/.htpasswd', '/.htaccess', '/.ds_store',
  '/.vscode/', '/.idea/', '/.docker', '/wp-login.php', '/xmlrpc.php', '/wp-config.php', '/wp-admin/setup-config.php',
  '/phpmyadmin', '/pma/', '/myadmin/', '/adminer', '/phpinfo', '/config.php', '/configuration.php', '/server-status',
  '/actuator/env', '/actuator/heapdump', '/vendor/phpunit/', '/cgi-bin/', '/boaform/', '/hnap1', '/cmd.php',
  '/shell.php', '/id_rsa', '/backup.sql', '/dump.sql', '/database.sql', '/db.sql', '/backup.zip', '/etc/passwd', '/proc/self/',
  '/solr/admin', '/owa/auth/', '/autodiscover/autodiscover.xml', '/telescope/requests', '/_ignition/',
];

/** Missing static files (favicon, source maps) are everyday 404s from real browsers. */
export const STATIC_SUFFIXES: readonly string[] = [
  '.css', '.js', '.map', '.png', '.jpg', '.jpeg', '.gif', '.svg', '.ico', '.webp', '.woff', '.woff2', '.ttf', '.txt', '.xml',
];

export const BUILTIN_SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'quorum/ssh-bf',
    version: '1.0',
    description: 'SSH brute force: more than 5 failed attempts from one address within about a minute',
    filter: { source: 'sshd', kinds: [...SSH_ATTEMPT_KINDS] },
    groupBy: 'ip',
    capacity: 5,
    leakSpeed: '10s',
    blackhole: '1m',
    labels: { behavior: 'ssh:bruteforce', service: 'ssh' },
  },
  {
    // Fail2Ban's default sshd jail bans at 5 failures within 10 minutes: a bucket of 4 leaking one per
    // 10 minutes overflows on exactly that (and on 6 within 20 minutes, 7 within 30, ...).
    name: 'quorum/ssh-slow-bf',
    version: '2.0',
    description: 'Slow SSH brute force: 5 failed attempts from one address within 10 minutes',
    filter: { source: 'sshd', kinds: [...SSH_ATTEMPT_KINDS] },
    groupBy: 'ip',
    capacity: 4,
    leakSpeed: '10m',
    blackhole: '10m',
    labels: { behavior: 'ssh:bruteforce', service: 'ssh' },
  },
  {
    name: 'quorum/ssh-user-enum',
    version: '1.0',
    description: 'SSH user enumeration: more than 5 distinct user names tried from one address',
    filter: {
      source: 'sshd',
      kinds: ['ssh_auth_failed', 'ssh_invalid_user', 'ssh_preauth_closed', 'ssh_max_auth', 'ssh_not_allowed'],
      where: [{ field: 'user', op: 'exists', value: true }],
    },
    groupBy: 'ip',
    capacity: 5,
    leakSpeed: '10s',
    blackhole: '1m',
    distinct: 'user',
    labels: { behavior: 'ssh:bruteforce', service: 'ssh' },
  },
  {
    name: 'quorum/http-probing',
    version: '1.0',
    description: 'HTTP probing: a burst of more than 10 distinct paths answered 4xx for one address',
    filter: {
      source: 'http',
      where: [
        { field: 'status', op: 'in', value: [400, 401, 403, 404, 405, 444] },
        { not: { field: 'path', op: 'suffix', value: [...STATIC_SUFFIXES], ignoreCase: true } },
      ],
    },
    groupBy: 'ip',
    capacity: 10,
    leakSpeed: '10s',
    blackhole: '5m',
    distinct: 'path',
    labels: { behavior: 'http:scan', service: 'http' },
  },
  {
    name: 'quorum/http-sensitive-paths',
    version: '1.0',
    description: 'HTTP sensitive paths: more than 3 distinct requests for secrets, admin panels or exploit targets',
    filter: {
      source: 'http',
      where: [{ field: 'path', op: 'contains', value: [...SENSITIVE_PATHS], ignoreCase: true }],
    },
    groupBy: 'ip',
    capacity: 3,
    leakSpeed: '10s',
    blackhole: '5m',
    distinct: 'path',
    labels: { behavior: 'http:scan', service: 'http' },
  },
];

/** The second stage (see detect/cross-ip-scenario.ts): one server under a distributed attack. */
export const BUILTIN_CROSS_IP_SCENARIOS: readonly CrossIpScenarioDefinition[] = [
  {
    name: 'quorum/ssh-distributed-bf',
    version: '1.0',
    description: 'Distributed SSH brute force: while more than 20 addresses fail within 2 minutes, each is flagged at its second failed attempt, or at a non-existent user name not followed by a login within a minute',
    filter: { source: 'sshd', kinds: [...SSH_ATTEMPT_KINDS] },
    success: { source: 'sshd', kinds: ['ssh_auth_success'] },
    attack: { distinctSources: 20, window: '2m', hold: '15m' },
    flag: {
      attempts: 2,
      memory: '30m',
      strong: { where: [{ any: [{ field: 'kind', op: 'in', value: ['ssh_invalid_user', 'ssh_not_allowed'] }, { field: 'detail', op: 'contains', value: ['invalid_user'] }] }] },
      grace: '1m',
    },
    labels: { behavior: 'ssh:bruteforce', service: 'ssh' },
  },
  {
    name: 'quorum/http-distributed-bf',
    version: '1.0',
    description: 'Distributed HTTP login brute force: while more than 20 addresses get 401 (or 403 on a POST) within 2 minutes, each is flagged at its second one',
    filter: {
      source: 'http',
      where: [{ any: [{ field: 'status', op: 'eq', value: 401 }, { all: [{ field: 'method', op: 'eq', value: 'POST' }, { field: 'status', op: 'eq', value: 403 }] }] }],
    },
    success: {
      source: 'http',
      where: [
        { field: 'method', op: 'eq', value: 'POST' },
        { field: 'status', op: 'gte', value: 200 },
        { field: 'status', op: 'lt', value: 400 },
      ],
    },
    attack: { distinctSources: 20, window: '2m', hold: '15m' },
    flag: { attempts: 2, memory: '30m' },
    labels: { behavior: 'http:bruteforce', service: 'http' },
  },
];
