/**
 * Which domain owns each table of prisma/schema.prisma (and the partitions of `signal`). A domain is a
 * top-level folder of src/ (`src/<domain>/`); only the owner's files may name its tables, in Prisma
 * delegate calls (`prisma.<model>`) or in SQL text. Other domains go through the owner's exported,
 * typed services (docs/architecture.md "Table ownership"). Checked by src/infra/prisma/table-owners.spec.ts,
 * which also fails when a table has no owner here.
 */
export const TABLE_OWNERS = {
  // accounts: organisations, their agents and the per-organisation pseudonym key
  organization: 'agents',
  reporter_key: 'agents',
  enrollment_key: 'agents',
  agent: 'agents',
  // staff operators
  operator_user: 'admin',
  operator_session: 'admin',
  // the hash-chained audit log
  audit_log: 'audit',
  audit_anchor: 'audit',
  audit_subject_key: 'audit',
  // raw signals
  signal: 'signals',
  signal_batch_nonce: 'signals',
  // scoring
  reporter: 'consensus',
  ip_score: 'consensus',
  listing_explanation: 'consensus',
  consensus_cursor: 'consensus',
  never_list_entry: 'consensus',
  dark_canary: 'consensus',
  delisting_request: 'consensus',
  // the protection marker of an erased IP (set by privacy, honoured by scoring)
  ip_protection: 'consensus',
  consensus_snapshot: 'consensus',
  consensus_snapshot_chunk: 'consensus',
  // paid lookups: plans, keys and the usage ledger
  plan: 'lookup',
  organization_plan: 'lookup',
  api_key: 'lookup',
  usage_counter: 'lookup',
  mirror_activity: 'lookup',
  // the published list
  blocklist_version: 'blocklist',
  blocklist_entry: 'blocklist',
  // Stripe
  stripe_customer: 'billing',
  subscription: 'billing',
  stripe_event: 'billing',
  invoice: 'billing',
  usage_report: 'billing',
  subscription_change: 'billing',
  billing_daily: 'billing',
  plan_comp: 'billing',
  // data-subject requests and the erasure ledger
  privacy_request: 'privacy',
  erasure_ledger: 'privacy',
  // network pseudonym keys (src/common/network)
  network_key: 'common',
  // CrowdSec watchers and bouncers
  crowdsec_cursor: 'crowdsec',
  crowdsec_bouncer_key: 'crowdsec',
  crowdsec_metrics: 'crowdsec',
  // customer members and their mail
  member: 'members',
  member_session: 'members',
  member_token: 'members',
  email_outbox: 'members',
} as const;

export type OwnedTable = keyof typeof TABLE_OWNERS;
export type Domain = (typeof TABLE_OWNERS)[OwnedTable];

export function ownerOf(table: string): Domain | undefined {
  return (TABLE_OWNERS as Record<string, Domain>)[table];
}

/** Tables a domain owns. */
export function tablesOf(domain: Domain): OwnedTable[] {
  return (Object.keys(TABLE_OWNERS) as OwnedTable[]).filter((t) => TABLE_OWNERS[t] === domain);
}
