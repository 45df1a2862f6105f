import { inputError, quote } from './errors';

/**
 * Runtime checks of props (type errors name the type found, never the value: it may be a secret). The TypeScript types do not reach JavaScript callers or `cdk8s.yaml`: every
 * construct checks what it is given, so a wrong type gets the same construct-path-value-fix error as a
 * wrong value instead of `Cannot read properties of undefined` deep inside.
 */

/** The largest value of a Kubernetes int32 field (replicas, counts, seconds, thresholds). */
export const INT32_MAX = 2147483647;

function typeName(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * The keys of a props interface, each once: written as a constant annotated with this type beside the interface,
 * the compiler refuses a missing key and an extra one, so the list of known props cannot drift from the interface.
 */
export type PropKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Checks that props (or an options object among them, named by `what`) were given as an object with no key the
 * interface does not declare: a misspelt optional prop (`readyness`) would otherwise be ignored in silence, and
 * TypeScript's excess-property check misses props passed through a variable, from JavaScript or `cdk8s.yaml`.
 * The error names the nearest known key.
 */
export function checkPropsObject<T>(where: string, props: T, known: PropKeys<T>, what?: string): T {
  return checkPropsKeys(where, props, Object.keys(known), what);
}

/** {@link checkPropsObject} with the known keys as a list (what a jsii constructor can take). */
export function checkPropsKeys<T>(where: string, props: T, knownKeys: readonly string[], what?: string): T {
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    throw inputError(
      where,
      what === undefined ? `props are ${typeName(props)}, not an object` : `${what} is ${typeName(props)}, not an object`,
      what === undefined ? 'pass the props as an object' : `pass ${what} as an object`,
    );
  }
  const unknown = Object.keys(props).find((key) => !knownKeys.includes(key));
  if (unknown !== undefined) {
    const nearest = nearestName(unknown, knownKeys);
    throw inputError(
      where,
      `unknown ${what === undefined ? 'prop' : `key in ${what}`} ${quote(unknown)}`,
      nearest === undefined ? `remove it, or use one of ${knownKeys.map((key) => quote(key)).join(', ')}` : `did you mean ${quote(nearest)}?`,
    );
  }
  return props;
}

/**
 * The candidate nearest to a name by edit distance (case-insensitive, a swap of neighbours counts once), if it is
 * near enough to be the name meant: at most a third of the name's letters differ (at least one, at most three).
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    // Lengths further apart than the limit are further apart than that (and a hostile, long name costs nothing).
    if (Math.abs(candidate.length - name.length) > limit) continue;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours, one each. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** Checks a required string prop. */
export function checkString(where: string, what: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw inputError(where, `${what} is ${value === undefined ? 'missing' : typeName(value)}, not a string`, `set ${what} to a string`);
  }
  return value;
}

/** Checks an optional string prop. */
export function checkOptionalString(where: string, what: string, value: unknown): string | undefined {
  return value === undefined ? undefined : checkString(where, what, value);
}

/** Checks an optional boolean prop. */
export function checkOptionalBoolean(where: string, what: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw inputError(where, `${what} is ${typeName(value)}, not true or false`, `set ${what} to true or false`);
  }
  return value;
}

/** Bounds of an integer. */
export interface IntegerBounds {
  /** The smallest value allowed. */
  readonly min: number;
  /** The largest value allowed (at most {@link INT32_MAX}, what the API server stores). */
  readonly max?: number;
  /** Why the bounds are what they are, for the fix. */
  readonly hint?: string;
}

/** Checks an integer within bounds (by default an int32, as the API server stores counts and seconds). */
export function checkInteger(where: string, what: string, value: unknown, bounds: IntegerBounds): number {
  const max = bounds.max ?? INT32_MAX;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > max) {
    throw inputError(
      where,
      `${what} ${value === undefined ? 'is missing' : `${quote(value)} is not a whole number from ${bounds.min} to ${max}`}`,
      bounds.hint ?? `use a whole number from ${bounds.min} to ${max}`,
    );
  }
  return value;
}

/** Checks a list of strings. */
export function checkStringList(where: string, what: string, value: unknown): string[] {
  if (!Array.isArray(value)) {
    throw inputError(where, `${what} is ${value === undefined ? 'missing' : typeName(value)}, not a list of strings`, `pass ${what} as a list, e.g. ["a", "b"]`);
  }
  value.forEach((item, i) => {
    if (typeof item !== 'string') throw inputError(where, `${what}[${i}] is ${typeName(item)}, not a string`, `make every entry of ${what} a string`);
  });
  return value;
}

/** Checks a list (of anything; the items are checked by the caller). */
export function checkList<T>(where: string, what: string, value: unknown): T[] {
  if (!Array.isArray(value)) {
    throw inputError(where, `${what} is ${value === undefined ? 'missing' : typeName(value)}, not a list`, `pass ${what} as a list`);
  }
  return value as T[];
}

/** Checks a map of strings (labels, annotations, options). */
export function checkStringMap(where: string, what: string, value: unknown): { [key: string]: string } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw inputError(where, `${what} is ${value === undefined ? 'missing' : typeName(value)}, not a map of strings`, `pass ${what} as an object, e.g. { key: "value" }`);
  }
  for (const [key, item] of Object.entries(value)) {
    if (typeof item !== 'string') throw inputError(where, `${what}[${quote(key)}] is ${typeName(item)}, not a string`, `make every value of ${what} a string`);
  }
  return value as { [key: string]: string };
}

/**
 * Checks that a value is an object of the expected kind, recognised by a member it must have: a property
 * (e.g. `'name'` for a Secret) or, written with `()`, a method (e.g. `'toPodSelectorConfig()'` for a pod
 * selector, `'_ruleFor()'` for a DnsEgress), which must then be a function.
 */
export function checkInstance<T>(where: string, what: string, value: unknown, member: string, expected: string): T {
  const method = member.endsWith('()');
  const key = method ? member.slice(0, -2) : member;
  const has = value !== null && typeof value === 'object' && key in (value as object)
    && (!method || typeof (value as { [key: string]: unknown })[key] === 'function');
  if (!has) {
    throw inputError(where, `${what} is ${value === undefined ? 'missing' : typeName(value)}, not ${expected}`, `pass ${expected}`);
  }
  return value as T;
}
