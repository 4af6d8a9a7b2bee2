import type { RetentionPeriods } from './retention-policy.js';

/**
 * The fixed part of an IP holder's access report (GDPR Art. 15(1)(a)-(h), 15(2)): the same for every
 * address, written for a reader who is not a lawyer. docs/privacy.md explains each point.
 */
export const PURPOSES = [
  'Network and information security: publishing a community blocklist of addresses that attack services, so that subscribers can block them for a few days.',
  'Handling false positives: delisting requests, reviews and requests like this one.',
  'Accountability: an audit log of decisions about addresses and of privacy requests.',
];

export const LAWFUL_BASIS = {
  article: 'GDPR Art. 6(1)(f) (legitimate interests)',
  explanation:
    'Recital 49 names processing that is strictly necessary and proportionate for network and information security, such as stopping unauthorised access and denial of service, as a legitimate interest. Data are kept only as long as the periods below.',
};

export const CATEGORIES = [
  'The IP address itself (in reports, aggregates and published decisions; IPv6 aggregates and decisions cover the /64).',
  'Reports about it: attack scenario, times, and the kind of sensor that reported it (never who reported it).',
  'A per-address aggregate: score, a bucketed number of reporters, scenario classes, first and last seen, whether a honeypot saw it, whether it is listed.',
  'Why it was listed (explanation records) and the blocklist entries that published it.',
  'Delisting and privacy requests about it.',
];

export const RECIPIENTS = [
  'Subscribers of the blocklist (operators of the reporting agents and API customers) receive published decisions only: the address or /64, a scenario class, a score and an end time of at most 96 hours.',
  'Lookup API customers may receive the aggregate (listed or not, bucketed reporter count, scenario classes, first and last seen).',
  'Raw reports are not disclosed to anyone; no transfer outside the service, no sale.',
];

export const SOURCE = 'Not collected from you (Art. 14): reports sent by security agents (Quorum agents, CrowdSec engines, honeypots) run by the service\'s members, when the address attacked their systems.';

export const RIGHTS = [
  { right: 'access (Art. 15)', how: 'This report: POST /v1/privacy/ip-requests {kind: "access"} with proof of control.' },
  { right: 'erasure (Art. 17)', how: 'POST /v1/privacy/ip-requests {kind: "erasure"}: granted at once when the address is not listed and was not reported in the last days; otherwise refused with grounds.' },
  { right: 'objection (Art. 21)', how: 'POST /v1/privacy/ip-requests {kind: "objection"}: same rule as erasure.' },
  { right: 'rectification (Art. 16) and human review (Art. 22(3))', how: 'POST /v1/delisting-requests: the listing is suspended for 24 h and a person reviews it.' },
  { right: 'restriction (Art. 18)', how: 'A delisting request suspends publication while it is reviewed.' },
];

export const COMPLAINT = 'You may lodge a complaint with a supervisory authority (Art. 77), in particular in the EU member state where you live, work, or where you think the infringement happened.';

export const AUTOMATED_DECISION = {
  exists: true,
  logic:
    'An address is listed automatically when independent, established reporters in several networks (at least 3 reporters in 3 different networks, each weighted by its track record) report it within a few days, or when a honeypot (a trap no legitimate user touches) sees it. ' +
    'A listing lasts at most 96 hours and ends on its own unless new reports arrive. Addresses of public services, and addresses whose holder had their data erased, need a honeypot sighting to be listed.',
  significance: 'Subscribers may block connections from the address while it is listed.',
  human_review: 'POST /v1/delisting-requests: proof of control suspends the listing for 24 hours and an operator reviews it.',
};

export interface RetentionNotice {
  raw_reports_days: number;
  aggregate_days_after_last_report: number;
  explanation_days: number;
  published_decision_max_hours: number;
  blocklist_history_days: number;
  delisting_records_days_after_closure: number;
  privacy_requests_days_after_closure: number;
}

export function retentionNotice(p: RetentionPeriods): RetentionNotice {
  return {
    raw_reports_days: p.signalDays,
    aggregate_days_after_last_report: p.ipScoreDays,
    explanation_days: p.explanationDays,
    published_decision_max_hours: 96,
    blocklist_history_days: p.blocklistDays,
    delisting_records_days_after_closure: p.delistingDays,
    privacy_requests_days_after_closure: p.privacyRequestDays,
  };
}
