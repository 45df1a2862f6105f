import { inputError } from '../core/errors';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why an acknowledgement's expiry keeps it from covering findings on a day. */
export enum ExpiryProblem {
  /** The day is after its expiry date. */
  EXPIRED = 'expired',
  /** Its expiry date is more than a year after the day. */
  TOO_FAR = 'too far',
}

/**
 * The calendar date a string names, when it is one: `YYYY-MM-DD`, zero-padded, a day that exists (no 2027-02-30).
 * @internal
 */
export function parseIsoDate(value: unknown): Date | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : undefined;
}

/**
 * Checks a date given as `YYYY-MM-DD` (an expiry, or the day expiries are judged on); returns it.
 * @internal
 */
export function checkIsoDate(where: string, what: string, value: unknown): string {
  if (parseIsoDate(value) === undefined) {
    throw inputError(where, `${what} ${JSON.stringify(value) ?? 'undefined'} is not a date`,
      'write it as YYYY-MM-DD, a day that exists (e.g. "2027-03-01")');
  }
  return value as string;
}

/**
 * The day (UTC) of a moment, as `YYYY-MM-DD`: what expiries are judged against.
 * @internal
 */
export function isoDay(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/**
 * The last expiry date allowed on a day: the same date a year later (28 February for 29 February).
 * @internal
 */
export function latestExpiry(today: string): string {
  const day = parseIsoDate(today)!;
  const next = new Date(Date.UTC(day.getUTCFullYear() + 1, day.getUTCMonth(), day.getUTCDate()));
  // 29 February + 1 year rolls over into March: keep it in February.
  if (next.getUTCDate() !== day.getUTCDate()) next.setUTCDate(0);
  return isoDay(next);
}

/**
 * Whether an expiry keeps an acknowledgement from covering findings on a day: past (an acknowledgement covers through
 * the day it names), or more than a year ahead. Both dates are valid `YYYY-MM-DD` strings, which compare as text.
 * @internal
 */
export function expiryProblem(expires: string | undefined, today: string): ExpiryProblem | undefined {
  if (expires === undefined) return undefined;
  if (expires < today) return ExpiryProblem.EXPIRED;
  if (expires > latestExpiry(today)) return ExpiryProblem.TOO_FAR;
  return undefined;
}

/**
 * Refuses an expiry more than a year after the day, with the fix.
 * @internal
 */
export function checkExpiryHorizon(where: string, expires: string | undefined, today: string): void {
  if (expiryProblem(expires, today) !== ExpiryProblem.TOO_FAR) return;
  throw inputError(where, `the acknowledgement expires ${expires}, more than a year after today (${today})`,
    `acknowledge for at most a year (expires on or before ${latestExpiry(today)}) and renew it when it comes due`);
}
