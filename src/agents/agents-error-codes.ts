/** Error codes of agent enrolment, login and key rotation (statuses: src/common/errors/error-catalogue.ts). */
export enum AgentsErrorCode {
  InvalidPublicKey = 'invalid_public_key',
  InvalidEnrollKey = 'invalid_enroll_key',
  EnrollKeyRequired = 'enroll_key_required',
  MachineIdTaken = 'machine_id_taken',
  InvalidTimestamp = 'invalid_timestamp',
  EnrollmentLimited = 'enrollment_limited',
  AgentInactive = 'agent_inactive',
}
