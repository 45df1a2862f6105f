// Sets of ports as sorted, disjoint, non-adjacent ranges, stored flat: [first0, last0, first1, last1, ...]. Pure functions
// over plain arrays: a union or an intersection is one merge pass over both operands.

/** The lowest port a NetworkPolicy can name. */
export const MIN_PORT = 1;
/** The highest port. */
export const MAX_PORT = 65535;

/**
 * A set of ports: sorted, disjoint, non-adjacent ranges, flat (`[80, 80, 8000, 8080]` is 80 and 8000-8080). Never
 * mutated once built.
 */
export type PortRanges = readonly number[];

/** No port. */
export const NO_PORTS: PortRanges = Object.freeze([]);
/** Every port, 1-65535. */
export const EVERY_PORT: PortRanges = Object.freeze([MIN_PORT, MAX_PORT]);

/** The ports from `first` to `last` (empty when `last < first`). */
export function portRange(first: number, last: number): PortRanges {
  return last < first ? NO_PORTS : [first, last];
}

/** Whether the set is every port. */
export function isEveryPort(ports: PortRanges): boolean {
  return ports.length === 2 && ports[0] === MIN_PORT && ports[1] === MAX_PORT;
}

/** Whether the two sets hold the same ports. */
export function samePorts(a: PortRanges, b: PortRanges): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The ports in either set. */
export function unionPorts(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || isEveryPort(b)) return b;
  if (b.length === 0 || isEveryPort(a)) return a;
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let first: number;
    let last: number;
    if (j >= b.length || (i < a.length && a[i] <= b[j])) {
      first = a[i]; last = a[i + 1]; i += 2;
    } else {
      first = b[j]; last = b[j + 1]; j += 2;
    }
    const end = merged.length;
    // Adjacent or overlapping with the range before: extend it.
    if (end > 0 && first <= merged[end - 1] + 1) {
      if (last > merged[end - 1]) merged[end - 1] = last;
    } else {
      merged.push(first, last);
    }
  }
  return merged;
}

/** The ports in both sets. */
export function intersectPorts(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || b.length === 0) return NO_PORTS;
  if (isEveryPort(a)) return b;
  if (isEveryPort(b)) return a;
  const common: number[] = [];
  // Walk both lists; whichever range ends first cannot meet a later range of the other.
  for (let i = 0, j = 0; i < a.length && j < b.length; a[i + 1] < b[j + 1] ? i += 2 : j += 2) {
    const first = Math.max(a[i], b[j]);
    const last = Math.min(a[i + 1], b[j + 1]);
    if (first <= last) common.push(first, last);
  }
  return common.length === 0 ? NO_PORTS : common;
}

/** The ports in `a` but not in `b`. */
export function subtractPorts(a: PortRanges, b: PortRanges): PortRanges {
  if (a.length === 0 || b.length === 0) return a;
  const rest: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let first = a[i];
    const last = a[i + 1];
    while (j < b.length && b[j + 1] < first) j += 2;
    for (let k = j; k < b.length && b[k] <= last && first <= last; k += 2) {
      if (b[k] > first) rest.push(first, b[k] - 1);
      first = Math.max(first, b[k + 1] + 1);
    }
    if (first <= last) rest.push(first, last);
  }
  return rest.length === 0 ? NO_PORTS : rest;
}

/** The set as netpol-analyzer writes it: `53`, `8080-8081`, `80,443,8000-9000`. */
export function formatPorts(ports: PortRanges): string {
  const parts: string[] = [];
  for (let i = 0; i < ports.length; i += 2) parts.push(ports[i] === ports[i + 1] ? `${ports[i]}` : `${ports[i]}-${ports[i + 1]}`);
  return parts.join(',');
}
