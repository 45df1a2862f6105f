/** How much a finding matters. */
export enum Severity {
  /** Fails synth under `Policy.enforce`. */
  ERROR = 'error',
  /** Printed, and fails synth only with `failOnWarnings`. */
  WARNING = 'warning',
}
