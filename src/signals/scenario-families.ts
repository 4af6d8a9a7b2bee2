/**
 * Scenario families: the one place that maps a scenario name (`<author>/<name>`, SIGNAL rules in
 * src/signals/signal-rules.ts) to the coarse behaviour class the operator console charts (docs/operators.md,
 * "Community"). The name part after the author is matched against each family's words in order; the
 * first family with a word in the name wins, anything else is `other`.
 */
export const SCENARIO_FAMILIES = ['ssh', 'http', 'wordpress', 'mail', 'scan', 'database', 'remote-desktop', 'other'] as const;
export type ScenarioFamily = (typeof SCENARIO_FAMILIES)[number];

/** Ordered: wordpress before http (wordpress-bf is a web login), scans before everything generic. */
const RULES: ReadonlyArray<readonly [ScenarioFamily, RegExp]> = [
  ['ssh', /(^|[^a-z])(ssh|sshd|sftp)([^a-z]|$)/],
  ['wordpress', /(^|[^a-z])(wordpress|wp)([^a-z]|$)/],
  ['mail', /(^|[^a-z])(mail|smtp|postfix|exim|dovecot|imap|pop3|sendmail)([^a-z]|$)/],
  ['database', /(^|[^a-z])(mysql|mariadb|postgres|postgresql|pgsql|mssql|mongodb|redis|elasticsearch)([^a-z]|$)/],
  ['remote-desktop', /(^|[^a-z])(rdp|vnc|telnet|winrm)([^a-z]|$)/],
  ['scan', /(^|[^a-z])(scan|scanner|portscan|nmap|masscan|zmap|probe)([^a-z]|$)/],
  ['http', /(^|[^a-z])(http|https|web|nginx|apache|php|cve|path|paths|crawl|bad-user-agent|xss|sqli|lfi|rfi)([^a-z]|$)/],
];

/** The family of a scenario name (case-insensitive; the author part is ignored). */
export function scenarioFamily(scenario: string): ScenarioFamily {
  const slash = scenario.indexOf('/');
  const name = (slash >= 0 ? scenario.slice(slash + 1) : scenario).toLowerCase();
  for (const [family, words] of RULES) if (words.test(name)) return family;
  return 'other';
}
