import { inputError, quote } from '../core/errors';

/** A Prometheus duration as the Prometheus Operator's CRDs spell it: units from years down to milliseconds, each once, in order. */
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
/** Nanoseconds per unit, in the order of DURATION's groups. */
const UNIT_NANOS = [365n * 86_400n, 7n * 86_400n, 86_400n, 3_600n, 60n, 1n].map((seconds) => seconds * 1_000_000_000n).concat([1_000_000n]);
/** Prometheus reads a duration into a Go time.Duration: int64 nanoseconds (about 292 years). */
const MAX_NANOS = 2n ** 63n - 1n;

/**
 * Checks a Prometheus duration (a scrape interval, a timeout): the Operator's pattern (`30s`, `1m30s`, `1h`, `500ms`;
 * no sign, no fraction, no spaces), above zero (`0s`, `0m`, `0h0m0s` and the Operator's bare `0` mean "never" or
 * "the default", not a period) and within what Prometheus can hold. This is the library's one parser of duration
 * strings; durations given as cdk8s `Duration`s are checked where they are turned into seconds.
 */
export function validatePrometheusDuration(where: string, what: string, value: string): string {
  const match = DURATION.exec(value);
  const nanos = match?.slice(1).reduce((sum, digits, i) => sum + (digits === undefined ? 0n : BigInt(digits) * UNIT_NANOS[i]), 0n);
  if (nanos === undefined || nanos <= 0n || nanos > MAX_NANOS) {
    throw inputError(
      where,
      `${what} ${quote(value)} is not a positive Prometheus duration of at most 292 years`,
      'use whole numbers with the units y, w, d, h, m, s, ms in that order, e.g. "30s" or "1m30s"',
    );
  }
  return value;
}
