import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { inputError } from '../../core/errors';
import { suggestDnsLabel } from '../../core/names';

/**
 * Joins a name and a suffix into a DNS label of at most 63 characters that never ends in `-`. When the
 * name must be shortened, a hash of the full name keeps different names different, so the objects a
 * construct derives from one input never collide.
 */
export function derivedName(where: string, name: string, suffix: string): string {
  const full = `${name}-${suffix}`;
  if (full.length <= 63) return full;
  if (suffix.length > 40) throw inputError(where, `suffix ${suffix} is too long to derive a name`, 'use a shorter name');
  // 8 hex characters of the full name keep shortened names apart; the suffix stays readable.
  const hash = shortHash(full);
  const room = 63 - suffix.length - hash.length - 2;
  return `${name.slice(0, room).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** 8 hex characters of FNV-1a over the text: stable across runs and platforms, for telling derived names apart. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i); // eslint-disable-line no-bitwise
    hash = Math.imul(hash, 0x01000193) >>> 0; // eslint-disable-line no-bitwise
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * A construct's path below its chart (from the chart, inclusive, when `withChart`) as one DNS label: the ids joined
 * with `-` (`web`, `orders-web`). Sibling ids are unique, so such names only meet when an id had to be changed to
 * be a label (`Web` and `web` both read `web`): then, and beyond 63 characters, a hash of the whole path is added
 * (`web-1c0e7a3b`). What remains (`a-b/c` against `a/b-c`) the app's unique-objects check refuses with the fix.
 */
export function readableName(construct: IConstruct, withChart: boolean): string {
  const scopes = construct.node.scopes;
  const ids = scopes.slice(scopes.indexOf(Chart.of(construct)) + (withChart ? 0 : 1)).map((scope) => scope.node.id);
  const labels = ids.map(suggestDnsLabel);
  const joined = labels.join('-');
  if (joined.length <= 63 && labels.every((label, i) => label === ids[i])) return joined;
  const hash = shortHash(construct.node.path);
  return `${joined.slice(Math.max(0, joined.length - 54)).replace(/^-+|-+$/g, '')}-${hash}`;
}
