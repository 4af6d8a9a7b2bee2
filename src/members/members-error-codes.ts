/** Error codes of the customer portal (statuses: src/common/errors/error-catalogue.ts). */
export enum MembersErrorCode {
  EmailTaken = 'email_taken',
  EmailNotVerified = 'email_not_verified',
  TotpNotEnabled = 'totp_not_enabled',
  LastOwner = 'last_owner',
  OutboxDisabled = 'outbox_disabled',
}
