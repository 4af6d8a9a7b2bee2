/** Error codes of delisting requests (statuses: src/common/errors/error-catalogue.ts). */
export enum ConsensusErrorCode {
  /** the delisting token was not served from the IP */
  ProofNotFound = 'proof_not_found',
  ProofWrongSource = 'proof_wrong_source',
}
