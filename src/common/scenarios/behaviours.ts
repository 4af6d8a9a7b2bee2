// Scenario names in plain words (pure): the one mapping table, for lookup answers and the IP-holder explanation.

/**
 * Rules tried in order on a scenario's name without its author (`crowdsecurity/ssh-bf` → `ssh-bf`);
 * the first match gives the behaviour. A scenario's family is the part of that name before the first
 * dash (src/consensus/scoring/trust.ts `defaultScenarioFamily`): most rules match a family, a few
 * refine one (user enumeration is not password guessing). Names matching no rule read as
 * OTHER_BEHAVIOUR, so a new agent scenario never leaks its raw name into `behaviours`.
 */
export const BEHAVIOUR_RULES: ReadonlyArray<{ readonly match: RegExp; readonly behaviour: string }> = [
  { match: /^ssh-(user-)?enum/, behaviour: 'SSH user enumeration' },
  { match: /^ssh-/, behaviour: 'SSH brute force' },
  { match: /^(wordpress|wp|joomla|drupal|magento|http-(.*-)?bf|http-(.*-)?brute)/, behaviour: 'Web login brute force' },
  { match: /^http-(crawl|aggressive-crawl)/, behaviour: 'Aggressive web crawling' },
  { match: /^http-(dos|flood|ddos)/, behaviour: 'HTTP flooding' },
  { match: /^(http-|cve-|apache-|nginx-|php-|jira-|fortinet-|vmware-)/, behaviour: 'HTTP vulnerability scanning' },
  { match: /^(mail|smtp|imap|pop3|postfix|dovecot|exim)-/, behaviour: 'Mail login brute force' },
  { match: /^spam/, behaviour: 'Spam sending' },
  { match: /^(ftp|vsftpd|proftpd)-/, behaviour: 'FTP brute force' },
  { match: /^(rdp|windows-bf|smb)/, behaviour: 'Windows remote access brute force' },
  { match: /^(mysql|postgres|pgsql|mssql|mongodb|redis)-/, behaviour: 'Database brute force' },
  { match: /^telnet-/, behaviour: 'Telnet brute force' },
  { match: /^(port-?scan|iptables-scan|nftables-scan|portscan)/, behaviour: 'Port scanning' },
  { match: /^(sip|voip|asterisk)-/, behaviour: 'VoIP abuse' },
];

export const OTHER_BEHAVIOUR = 'Other attack traffic';

/** The behaviour of one scenario name. */
export function behaviourOf(scenario: string): string {
  const slash = scenario.lastIndexOf('/');
  const name = (slash >= 0 ? scenario.slice(slash + 1) : scenario).toLowerCase();
  for (const rule of BEHAVIOUR_RULES) if (rule.match.test(name)) return rule.behaviour;
  return OTHER_BEHAVIOUR;
}

const cache = new WeakMap<readonly string[], readonly string[]>();

/**
 * Distinct behaviours of a scenario list, in table order. Lists come interned from the index
 * (src/lookup/index/scenario-sets.ts), so the result is cached by list identity.
 */
export function behavioursOf(scenarios: readonly string[]): readonly string[] {
  if (scenarios.length === 0) return [];
  const known = cache.get(scenarios);
  if (known) return known;
  const found = new Set(scenarios.map(behaviourOf));
  const order = [...BEHAVIOUR_RULES.map((r) => r.behaviour), OTHER_BEHAVIOUR];
  const result = order.filter((b, i) => found.has(b) && order.indexOf(b) === i);
  cache.set(scenarios, result);
  return result;
}
