/** Error codes of operator sign-in (statuses: src/common/errors/error-catalogue.ts). */
export enum AdminErrorCode {
  /** a staff operator without two-factor sign-in, in production */
  TotpEnrolmentRequired = 'totp_enrolment_required',
  LoginThrottled = 'login_throttled',
}
