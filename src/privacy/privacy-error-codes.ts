/** Error codes of the privacy requests (statuses: src/common/errors/error-catalogue.ts). */
export enum PrivacyErrorCode {
  /** an IP-holder request whose token was not served from the IP (no proof of control) */
  ProofNotServed = 'proof_not_served',
}
