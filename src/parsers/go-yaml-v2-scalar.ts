/**
 * One YAML scalar as go-yaml v2 resolves it (resolve.go, decode.go at v2.4.0), the YAML 1.1 reader behind
 * sigs.k8s.io/yaml and so behind kubectl. Timestamps stay the text they were written as (v2 keeps them strings when
 * it decodes into `interface{}`), `!!binary` is the decoded text, and any tag v2 does not resolve keeps the text.
 */
export type GoYamlScalar =
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  /** An integer; `digits` is its exact decimal text (JavaScript numbers round beyond 2^53). */
  | { readonly type: 'int'; readonly digits: string; readonly unsigned: boolean }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'str'; readonly value: string };

const YAML_TAG = 'tag:yaml.org,2002:';
const [STR, BOOL, INT, FLOAT, NULL, TIMESTAMP, BINARY] = ['str', 'bool', 'int', 'float', 'null', 'timestamp', 'binary'].map((t) => YAML_TAG + t);
/** The tags v2 resolves (resolvableTag); any other tag keeps the text as it is. */
const RESOLVABLE = new Set(['', STR, BOOL, INT, FLOAT, NULL, TIMESTAMP]);

/** resolve.go's resolveMap: the exact spellings of booleans, nulls and special floats. */
const SPELLINGS = new Map<string, GoYamlScalar>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, { type: 'bool', value: true }] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, { type: 'bool', value: false }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, { type: 'null' }] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, { type: 'float', value: NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, { type: 'float', value: Infinity }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, { type: 'float', value: -Infinity }] as const),
]);

/** What strconv.ParseFloat reads of a text that starts with a dot: Go's decimal float syntax, `_` between digits. */
const DOT_FLOAT = /^\.[0-9]+(?:_[0-9]+)*(?:[eE][-+]?[0-9]+(?:_[0-9]+)*)?$/;
/** resolve.go's yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseInt(s, 0, 64) syntax: sign, then 0x / 0o / 0b / leading-0 octal / decimal (underscores already gone). */
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|0([0-7]*)|([1-9][0-9]*))$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
/** resolve.go's allowedTimestampFormats (Go layouts "2006-1-2T15:4:5.999999999Z07:00", its lower-case t, "2006-1-2 15:4:5.999999999", "2006-1-2"). */
const TIMESTAMP_FORMAT = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;

/**
 * Resolves a scalar as go-yaml v2 does.
 * @param text the scalar's text (after unquoting and folding)
 * @param tag the full explicit tag (`tag:yaml.org,2002:int`, `!foo`, `!`), or undefined without one
 * @param plain whether the scalar was written plain (unquoted, not a block scalar)
 * @throws Error where v2 fails: an explicit tag the text does not fit (`!!int abc`), `!!binary` that is not base64
 */
export function resolveGoYamlScalar(text: string, tag: string | undefined, plain: boolean): GoYamlScalar {
  // decode.go: a quoted or block scalar without a tag is a string; "!" is the non-specific tag (implicit like plain).
  if (tag === undefined && !plain) return { type: 'str', value: text };
  const explicit = tag ?? '';
  if (explicit === BINARY) return { type: 'str', value: decodeBinary(text) };
  if (!RESOLVABLE.has(explicit)) return { type: 'str', value: text };
  const [resolvedTag, resolved] = resolveText(explicit, text);
  if (explicit === '' || explicit === resolvedTag || explicit === STR) return resolved;
  if (explicit === FLOAT && resolved.type === 'int') return { type: 'float', value: Number(resolved.digits) };
  throw new Error(`cannot decode !!${resolvedTag.slice(YAML_TAG.length)} \`${text}\` as a !!${explicit.slice(YAML_TAG.length)}`);
}

/** resolve.go's resolve(): the tag the text resolves to, and its value. */
function resolveText(tag: string, text: string): [string, GoYamlScalar] {
  const str: [string, GoYamlScalar] = [STR, { type: 'str', value: text }];
  // resolve.go's resolveTable; the empty text is looked up in the map like the letters.
  const first = text === '' ? 'N' : text[0];
  const hint = /[+\-]/.test(first) ? 'S' : /[0-9]/.test(first) ? 'D' : /[yYnNtTfFoO~]/.test(first) ? 'M' : first === '.' ? '.' : undefined;
  if (hint === undefined || tag === STR) return str;
  const spelled = SPELLINGS.get(text);
  if (spelled) return [YAML_TAG + spelled.type, spelled];
  if (hint === '.') {
    // strconv.ParseFloat of text that starts with a dot: digits and an exponent, underscores only between digits
    // (underscoreOK); out of range is an error.
    const value = Number(text.replace(/_/g, ''));
    return DOT_FLOAT.test(text) && Number.isFinite(value) ? [FLOAT, { type: 'float', value }] : str;
  }
  if (hint === 'M') return str;
  if ((tag === '' || tag === TIMESTAMP) && isTimestamp(text)) return [TIMESTAMP, { type: 'str', value: text }];
  const digits = text.replace(/_/g, '');
  const integer = goParseInt(digits);
  if (integer !== undefined) return [INT, integer];
  const value = Number(digits);
  // strconv.ParseFloat fails on overflow (the text then stays a string); underflow is 0.
  if (YAML_STYLE_FLOAT.test(digits) && Number.isFinite(value)) return [FLOAT, { type: 'float', value }];
  return str;
}

/** strconv.ParseInt(s, 0, 64), then strconv.ParseUint(s, 0, 64) for what int64 cannot hold. */
function goParseInt(text: string): GoYamlScalar | undefined {
  const match = GO_INT.exec(text);
  if (!match) return undefined;
  const [, sign, hex, octal, binary, legacyOctal, decimal] = match;
  const magnitude = hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? BigInt(`0o${octal}`)
    : binary !== undefined ? BigInt(`0b${binary}`) : legacyOctal !== undefined ? BigInt(`0o0${legacyOctal}`) : BigInt(decimal);
  const value = sign === '-' ? -magnitude : magnitude;
  if (value >= INT64_MIN && value <= INT64_MAX) return { type: 'int', digits: value.toString(), unsigned: false };
  if (sign === '' && value <= UINT64_MAX) return { type: 'int', digits: value.toString(), unsigned: true };
  return undefined;
}

/** resolve.go's parseTimestamp: one of the allowed formats, with real calendar fields. */
function isTimestamp(text: string): boolean {
  const m = TIMESTAMP_FORMAT.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = (m[4] !== undefined ? m.slice(4, 7) : m[7] !== undefined ? m.slice(7, 10) : ['0', '0', '0']).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour < 24 && minute < 60 && second < 60;
}

/** `!!binary`: Go's base64.StdEncoding (padding required; only line breaks ignored), then the bytes as text. */
function decodeBinary(text: string): string {
  const base64 = text.replace(/[\r\n]/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) {
    throw new Error('!!binary value contains invalid base64 data');
  }
  return Buffer.from(base64, 'base64').toString('utf8');
}
