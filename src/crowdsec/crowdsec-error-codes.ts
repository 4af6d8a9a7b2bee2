/** Error codes of the CrowdSec API (statuses: src/common/errors/error-catalogue.ts). */
export enum CrowdsecErrorCode {
  UnusableMetrics = 'unusable_metrics',
}
