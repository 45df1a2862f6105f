import { readGoYamlDocument } from './go-yaml-v2-document';
import { fastGoYamlReader } from './go-yaml-v2-fast';

/** Go's unicode.IsSpace (JavaScript's \s also takes U+FEFF, which Go does not). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const LEADING_BRACE = new RegExp(`^${GO_SPACE}*\\{`);
const GO_SPACE_CHARACTER = new RegExp(`^${GO_SPACE}$`);
const GO_SPACE_AROUND = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');
/** A line (after a line feed only, as Go reads lines) that starts with `---`. */
const SEPARATOR_LINE = /(?<![^\n])---([^\n]*)(?:\n|$)/g;
/** Blank lines, comment lines and a leading separator: what comes before a document's content. */
const BEFORE_CONTENT = /^(?:[ \t]*(?:#[^\n]*)?\r?\n|---[^\n]*\n)*/;

/** One document of a manifest stream, decoded, and where it is. */
export interface KubernetesDocument {
  /** The document as JSON. */
  readonly value: unknown;
  /** The 1-based line of the stream where its content starts (after blank lines, comments and `---`). */
  readonly line: number;
}

/**
 * The documents of a manifest stream (a file, or standard input) as `kubectl apply -f` decodes them, as plain JSON
 * values, leaving out the empty and null ones as kubectl does.
 *
 * - A stream whose first non-space character is `{` is read as JSON objects one after the other; if the first or
 *   second of them is not JSON, the rest is read as YAML (k8s.io/apimachinery's YAMLOrJSONDecoder). Duplicate keys:
 *   the last wins.
 * - YAML is split at lines that start with `---` (a separator followed by anything but a comment is an error), and
 *   each part is decoded as go-yaml v2 decodes its first document, then made JSON as sigs.k8s.io/yaml does: YAML 1.1
 *   booleans (`yes`, `on`, `Y`…), integers (`0_0`, `0777`, `0o17`, `0x1F`, `0b101`, `+12`), floats (`1e3`, `.5`),
 *   nulls (`~`, `Null`, empty), merge keys applied where they stand, non-string keys spelled out, aliases expanded within
 *   go-yaml's limits.
 *
 * @param text the stream
 * @param source where it comes from, for errors (a file name, or `<stdin>`)
 * @throws Error naming the source, the document and the reason, where kubectl cannot read the stream either
 */
export function parseKubernetesYaml(text: string, source: string): unknown[] {
  return readKubernetesYaml(text, source).map((document) => document.value);
}

/**
 * The documents of a manifest stream as parseKubernetesYaml reads them, each with the line where it starts.
 * @param text the stream
 * @param source where it comes from, for errors (a file name, or `<stdin>`)
 * @throws Error naming the source, the document and the reason, where kubectl cannot read the stream either
 */
export function readKubernetesYaml(text: string, source: string): KubernetesDocument[] {
  return LEADING_BRACE.test(text) ? jsonStream(text, source) : yamlStream(text, source, 1);
}

/** JSON values back to back; a JSON error in the first two falls back to YAML for the rest, after that it is an error. */
function jsonStream(text: string, source: string): KubernetesDocument[] {
  const documents: KubernetesDocument[] = [];
  const lines = new LineCounter(text, 1);
  let position = skipJsonSpace(text, 0);
  let end = 0;
  for (let count = 0; position < text.length; count++) {
    const valueEnd = jsonValueEnd(text, position);
    let value: unknown;
    try {
      if (valueEnd === undefined) throw new Error('unexpected end of JSON input');
      value = JSON.parse(text.slice(position, valueEnd));
    } catch (e) {
      if (count > 1) throw new Error(`${source}: JSON value ${count + 1} (line ${lineAt(text, position)}): ${(e as Error).message}; fix the JSON`);
      // kubectl reads the rest as YAML, from the line after the last JSON value.
      const rest = count === 0 ? 0 : afterSpaceToNewline(text, end);
      return [...documents, ...yamlStream(text.slice(rest), source, lineAt(text, rest))];
    }
    try {
      value = asGoDecodesJson(value);
    } catch (e) {
      throw new Error(`${source}: JSON value ${count + 1} (line ${lineAt(text, position)}): ${(e as Error).message}`);
    }
    if (value !== null) documents.push({ value, line: lines.at(position) });
    end = valueEnd;
    position = skipJsonSpace(text, valueEnd);
  }
  return documents;
}

/** A lone surrogate (half of a pair without its other half). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A JSON value as Go's encoding/json decodes it into `interface{}` (as kubectl and the API server do): a lone surrogate
 * escape (`"\ud800"`) becomes U+FFFD, in keys too; a number beyond float64 (`1e400`) is an error, not an infinity.
 * @throws Error naming the number, where Go refuses it
 */
function asGoDecodesJson(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error('json: cannot unmarshal a number beyond float64 (kubectl refuses it); write a number a float64 holds');
    return value;
  }
  if (Array.isArray(value)) return value.map(asGoDecodesJson);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, member]) => [key.replace(LONE_SURROGATE, '\ufffd'), asGoDecodesJson(member)]));
}

/** Where the JSON value starting at `start` ends (brackets balanced outside strings), or undefined if it never does. */
function jsonValueEnd(text: string, start: number): number | undefined {
  if (text[start] === '"') return stringEnd(text, start);
  if (text[start] !== '{' && text[start] !== '[') {
    let end = start;
    while (end < text.length && !' \t\r\n{}[],:"'.includes(text[end])) end++;
    return end > start ? end : undefined;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end === undefined) return undefined;
      i = end - 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      return i + 1;
    }
  }
  return undefined;
}

function stringEnd(text: string, quote: number): number | undefined {
  for (let i = quote + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return undefined;
}

/** YAMLOrJSONDecoder's consumeWhitespace: spaces up to and including the first line break. */
function afterSpaceToNewline(text: string, from: number): number {
  let i = from;
  while (i < text.length && GO_SPACE_CHARACTER.test(text[i])) {
    if (text[i++] === '\n') break;
  }
  return i;
}

/**
 * YAMLReader's documents (split at `---` lines), each decoded as go-yaml v2 decodes its first document: on the fast
 * path where it can be (go-yaml-v2-fast.ts), else by the exact reader.
 */
function yamlStream(text: string, source: string, firstLine: number): KubernetesDocument[] {
  const documents: KubernetesDocument[] = [];
  const lines = new LineCounter(text, firstLine);
  const fast = fastGoYamlReader();
  const decode = (start: number, end: number) => {
    const part = text.slice(start, end);
    const partLine = lines.at(start);
    const line = lines.at(start + BEFORE_CONTENT.exec(part)![0].length);
    const value = fast(part)?.value ?? readYaml(part, `${source}: document ${documents.length + 1} (line ${partLine})`);
    if (value !== null) documents.push({ value, line });
  };
  let start = 0;
  for (const separator of text.matchAll(SEPARATOR_LINE)) {
    const after = separator[1].replace(GO_SPACE_AROUND, '');
    if (after !== '' && !after.startsWith('#')) {
      throw new Error(`${source}: line ${lines.at(separator.index!)}: invalid Yaml document separator: ${after} `
        + '(kubectl refuses it); put the document on the line after a bare ---');
    }
    // A separator before any content belongs to the document it opens; any other one ends the document before it.
    if (separator.index === start) continue;
    decode(start, separator.index!);
    start = separator.index! + separator[0].length;
  }
  if (start < text.length) decode(start, text.length);
  return documents;
}

/** The exact reader's decoding of one part of the stream, its errors naming the document. */
function readYaml(part: string, where: string): unknown {
  try {
    return readGoYamlDocument(part);
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
}

/** Line numbers of positions met in increasing order, counted once (the stream may be large). */
class LineCounter {
  private position = 0;
  private line: number;

  public constructor(private readonly text: string, firstLine: number) {
    this.line = firstLine;
  }

  public at(position: number): number {
    for (let next = this.text.indexOf('\n', this.position); next !== -1 && next < position; next = this.text.indexOf('\n', next + 1)) {
      this.line++;
      this.position = next + 1;
    }
    this.position = Math.max(this.position, position);
    return this.line;
  }
}

function lineAt(text: string, position: number): number {
  return new LineCounter(text, 1).at(position);
}

function skipJsonSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  return i;
}
