import { resolveGoYamlScalar } from './go-yaml-v2-scalar';

/** The part of js-yaml 4 this reader uses (it ships no types). */
interface JsYaml {
  Type: new (tag: string, options: { kind: 'scalar'; resolve: (text: string) => boolean; construct: (text: string) => unknown }) => unknown;
  FAILSAFE_SCHEMA: { extend(types: { implicit: unknown[] }): unknown };
  load(text: string, options: { schema: unknown; json: boolean }): unknown;
}

/** Reads one document on the fast path, or declines it (undefined) for the exact reader. */
export type FastGoYamlReader = (part: string) => { readonly value: unknown } | undefined;

/** Any character that one of the constructs of NEEDS_EXACT_READER begins with; most documents have none. */
const SUSPECT_CHARACTER = /[&*!<?%\\\t\r"'[\]{}\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;
/**
 * Anything in a document that js-yaml might read otherwise than go-yaml v2 (or than our exact reader): a node
 * property or alias at a node's start (`&a`, `*a`, `!tag`), a merge key, a complex key (`? `), a directive, a
 * backslash escape other than `\"`, `\\`, `\n` and `\t`, a tab, characters YAML 1.1 and 1.2 treat differently (NEL,
 * LS, PS, BOM, C0/C1 controls, a lone surrogate, a carriage return alone), a flow collection that does not close on its line, one in a
 * flow collection, one used as a key, a quoted scalar that does not close on its line, a `#` right after a closing
 * bracket or quote. Text in quoted and block scalars matches too: that only sends the document to the exact reader.
 */
const NEEDS_EXACT_READER = [
  /(?:^|[\s[{,])[&*!]/,
  /<</,
  /(?:^|[\s[{,])\?(?:\s|$)/m,
  /^%/m,
  /\\[^"\\nt]/,
  /\t/,
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/,
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
  /[[{][^\n\]}]*$/m,
  /[{,[][ \t]*[[{]/,
  /[\]}][ \t]*:(?:\s|$)/,
  /(?:^|[\s[{,])(?:"(?:[^"\\\n]|\\.)*|'(?:[^'\n]|'')*)$/m,
  /\r(?!\n)/,
  /[\]}"']#/,
];
/**
 * Sequence entries that js-yaml nests otherwise than go-yaml v2: a sequence in an entry on the same line (`- - a`),
 * an entry with nothing after its `-` on the line.
 */
const NESTED_OR_EMPTY_ENTRY = /^[ \t]*-[ \t]*(?:-(?:[ \t]|$)|#[^\n]*$|$)/m;
/** libyaml refuses implicit keys over 1,024 characters and js-yaml does not: lines this long go to the exact reader. */
const LONG_LINE = 1000;
/** A JSON key that a plain YAML key resolved to a number, a boolean or null could have become (`1`, `-1.5`, `true`). */
const KEY_FROM_NON_STRING = /^(?:[-+.]?[0-9]|true$|false$|null$)/;
/** resolve.go's resolveMap spellings that begin with a letter or `~`: booleans and nulls (the others begin with `.`). */
const SPELLED = new Map<string, boolean | null>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
  ...['~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
]);
/** resolve.go's hints for numbers: a sign, a digit or a dot. */
const NUMERIC_START = /^[-+0-9.]/;
/** A decimal integer JavaScript holds exactly (and no timestamp): the most common non-string scalar, read at once. */
const SMALL_DECIMAL = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * A reader of single YAML documents (one part of a stream split at `---` lines) on the fast path: js-yaml reads the
 * syntax and go-yaml v2's resolver (go-yaml-v2-scalar.ts) gives every plain scalar its value; quoted and block scalars
 * are strings; the last of duplicate keys wins, at the place of the first, as go-yaml v2 and sigs.k8s.io/yaml do.
 * It declines any document that the exact reader (go-yaml-v2-document.ts) might read otherwise (NEEDS_EXACT_READER,
 * long lines, a key that may have been a number, a boolean or null), that js-yaml refuses, or that holds a value JSON
 * cannot (an infinity or NaN): errors always come from the exact reader.
 * js-yaml loads on the first call, not with the library.
 */
export function fastGoYamlReader(): FastGoYamlReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsYaml = require('js-yaml') as JsYaml;
  const goScalar = new jsYaml.Type('tag:yaml.org,2002:go-yaml-v2-scalar', {
    kind: 'scalar',
    resolve: (text) => SPELLED.has(text) || (NUMERIC_START.test(text) && resolveGoYamlScalar(text, undefined, true).type !== 'str'),
    construct: plainScalarValue,
  });
  const options = { schema: jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [goScalar] }), json: true };
  return (part) => {
    if (SUSPECT_CHARACTER.test(part) && NEEDS_EXACT_READER.some((construct) => construct.test(part))) return undefined;
    if (NESTED_OR_EMPTY_ENTRY.test(part) || hasLongLine(part)) return undefined;
    let value: unknown;
    try {
      value = jsYaml.load(part, options);
    } catch {
      return undefined;
    }
    return hasKeyFromNonString(value) ? undefined : { value: value === undefined ? null : value };
  };
}

function hasLongLine(part: string): boolean {
  let start = 0;
  for (let end = part.indexOf('\n'); end !== -1; end = part.indexOf('\n', start)) {
    if (end - start >= LONG_LINE) return true;
    start = end + 1;
  }
  return part.length - start >= LONG_LINE;
}

/** Whether any key of the value could come from a plain key that go-yaml v2 does not resolve to a string. */
function hasKeyFromNonString(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(hasKeyFromNonString);
  for (const key in value) {
    if (KEY_FROM_NON_STRING.test(key) || hasKeyFromNonString((value as { [key: string]: unknown })[key])) return true;
  }
  return false;
}

/** A plain scalar that go-yaml v2 resolves to a null, a boolean or a number, as JSON (as toJson in go-yaml-v2-document.ts makes it). */
function plainScalarValue(text: string): unknown {
  if (SMALL_DECIMAL.test(text)) return Number(text);
  const spelled = SPELLED.get(text);
  if (spelled !== undefined) return spelled;
  const scalar = resolveGoYamlScalar(text, undefined, true);
  switch (scalar.type) {
    case 'int': return Number(scalar.digits);
    case 'float':
      if (!Number.isFinite(scalar.value)) throw new Error('not JSON: the exact reader reports it');
      return scalar.value;
    default: throw new Error(`${scalar.type} is not resolved here`);
  }
}
