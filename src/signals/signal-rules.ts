/** Ingest-gate constants and flags (docs/consensus.md, "1. The listing rule": what a signal weighs). */
export const SIGNAL_FLAGS = {
  /** stopped_at older than 24 h: stored for the agent's history, weighs 0 for consensus */
  stale: 1,
  /** beyond the agent's daily distinct-target budget */
  overTargetCap: 2,
  /** target inside the reporter's own egress /24 (/48) */
  selfNetwork: 4,
  /** sent while the agent's batch bucket was empty (accepted rather than refused: src/signals/ingest-gate.service.ts) */
  overRate: 8,
} as const;

export const MAX_SIGNAL_AGE_MS = 60 * 86_400_000;
export const CONSENSUS_WINDOW_MS = 24 * 3_600_000;
export const MAX_FUTURE_MS = 2 * 60_000;

/** Labels an agent may attach, with their value limits. */
export const ALLOWED_LABELS: Readonly<Record<string, 'string' | 'port'>> = {
  service: 'string',
  protocol: 'string',
  port: 'port',
  behavior: 'string',
  classification: 'string',
  remediation: 'string',
};

export const SCENARIO_PATTERN = /^[A-Za-z0-9_.-]{1,64}\/[A-Za-z0-9_.-]{1,96}$/;
export const UUID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const HASH_PATTERN = /^[A-Fa-f0-9]{64}$/;

export type RejectionReason =
  | 'invalid_ip'
  | 'invalid_range'
  | 'reserved_target'
  | 'too_old'
  | 'in_future'
  | 'invalid_time_range'
  | 'duplicate_uuid'
  | 'label_not_allowed';
