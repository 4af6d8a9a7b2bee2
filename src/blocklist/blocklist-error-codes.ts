/** Error codes of the blocklist (statuses: src/common/errors/error-catalogue.ts). */
export enum BlocklistErrorCode {
  /** a `since` older than the kept history, or unknown: download the full list */
  CursorExpired = 'cursor_expired',
}
