import { Duration } from 'cdk8s';
import { inputError } from '../../core/errors';
import { checkInstance, checkInteger } from '../../core/prop-checks';

/** Whole seconds of a Duration, as an int32 of at least `min`. */
export function durationSeconds(where: string, what: string, value: unknown, min: number): number {
  const duration = checkInstance<Duration>(where, what, value, 'toSeconds()', 'a Duration (e.g. Duration.minutes(15))');
  let seconds: number;
  try {
    seconds = duration.toSeconds({ integral: false });
  } catch {
    throw inputError(where, `${what} cannot be read as seconds`, 'use a Duration such as Duration.minutes(15)');
  }
  return checkInteger(where, `${what} (in seconds)`, seconds, { min, hint: `use a Duration of whole seconds, at least ${min} s and at most 2147483647 s (e.g. Duration.minutes(15))` });
}
