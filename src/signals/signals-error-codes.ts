/** Error codes of signal ingestion (statuses: src/common/errors/error-catalogue.ts). */
export enum SignalsErrorCode {
  DailyCapReached = 'daily_cap_reached',
}
