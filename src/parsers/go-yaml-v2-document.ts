import type { Alias, Node, YAMLMap } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { GoYamlScalar, resolveGoYamlScalar } from './go-yaml-v2-scalar';
import { checkGoYamlCharacters, withGoYamlEscapes } from './go-yaml-v2-text';

const MERGE_TAG = 'tag:yaml.org,2002:merge';
/** The `yaml` package reads the syntax only: every scalar keeps its text and style, go-yaml v2's rules give it a value. */
const SYNTAX_ONLY = { schema: 'failsafe', version: '1.1', uniqueKeys: false, merge: false } as const;
/**
 * The `yaml` package's complaint about a `#` right after a quoted scalar, a flow bracket or comma, or a block scalar
 * header: go-yaml v2 reads a comment there (its scanner skips to the next token, and `#` starts one), and so does the
 * `yaml` package, which only reports it.
 */
const COMMENT_AFTER_TOKEN = /^Comments must be separated from other tokens by white space characters/;

/** A value as go-yaml v2 decodes it into `interface{}`: a scalar, a slice, or a map whose keys are typed. */
type GoValue = GoYamlScalar | GoValue[] | GoMap;
/** `map[interface{}]interface{}`: keyed by the key's type and value (1 and "1" are two keys). */
type GoMap = Map<string, { readonly key: GoYamlScalar; value: GoValue }>;

/**
 * go-yaml v2's yaml.Unmarshal of one part of a stream (split at `---` lines): its first document, as JSON, or null.
 * This is the exact reader: every YAML construct, every error as kubectl reports it.
 * @throws Error saying why kubectl cannot read it and how to fix it
 */
export function readGoYamlDocument(part: string): unknown {
  checkGoYamlCharacters(part);
  let [document] = parseAllDocuments(part, SYNTAX_ONLY);
  if (document === undefined) return null;
  if (part.includes('\\')) {
    const escaped = withGoYamlEscapes(part, document);
    if (escaped !== part) [document] = parseAllDocuments(escaped, SYNTAX_ONLY);
  }
  const error = document.errors.find((e) => !COMMENT_AFTER_TOKEN.test(e.message));
  if (error) throw new Error(`not YAML (${error.message.split('\n')[0]}); fix the YAML`);
  try {
    return decodeGoYamlDocument(document.contents);
  } catch (e) {
    throw new Error(`kubectl cannot read it: ${(e as Error).message}; fix the YAML`);
  }
}

/**
 * One YAML document (as parsed by the `yaml` package with the failsafe schema, so that every scalar keeps its text)
 * decoded as kubectl decodes it: go-yaml v2 resolves the scalars, merges `<<` keys where they stand (a later key
 * overrides an earlier one, merged or not) and expands aliases within its limits; sigs.k8s.io/yaml then makes JSON
 * of it (keys become strings, NaN and infinities are refused).
 * @throws Error with go-yaml's or sigs.k8s.io/yaml's reason where kubectl refuses the document
 */
function decodeGoYamlDocument(contents: Node | null): unknown {
  return toJson(new GoYamlDecoder(anchorsOf(contents)).unmarshal(contents));
}

/**
 * The node each alias names: the last node anchored with that name before the alias, in document order (go-yaml
 * records an anchor when its node starts, so an alias inside its own anchored node names that node).
 */
function anchorsOf(root: Node | null): Map<Alias, Node> {
  const anchored = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  const pending: Array<Node | null> = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isAlias(node)) {
      const target = anchored.get(node.source);
      if (!target) throw new Error(`unknown anchor '${node.source}' referenced`);
      targets.set(node, target);
      continue;
    }
    if (node?.anchor) anchored.set(node.anchor, node);
    // Children are pushed last first, so that they are visited in document order.
    if (isMap(node)) for (const pair of [...node.items].reverse()) pending.push(pair.value as Node | null, pair.key as Node | null);
    if (isSeq(node)) for (const item of [...node.items].reverse()) pending.push(item as Node | null);
  }
  return targets;
}

/** go-yaml v2's decoder (decode.go) for one document, decoding into `interface{}`. */
class GoYamlDecoder {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  private readonly expanding = new Set<Alias>();

  public constructor(private readonly aliases: Map<Alias, Node>) {}

  /** decode.go's unmarshal: counts every decode to refuse alias bombs as v2 does, then decodes (into a map to merge into). */
  public unmarshal(node: Node | null, into?: GoMap): GoValue {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new Error('document contains excessive aliasing');
    }
    if (isAlias(node)) return this.alias(node, into);
    if (isMap(node)) return this.mapping(node, into ?? new Map());
    if (isSeq(node)) return node.items.map((item) => this.unmarshal(item as Node | null));
    return scalarOf(node);
  }

  private alias(node: Alias, into?: GoMap): GoValue {
    if (this.expanding.has(node)) throw new Error(`anchor '${node.source}' value contains itself`);
    this.expanding.add(node);
    this.aliasDepth++;
    const value = this.unmarshal(this.aliases.get(node)!, into);
    this.aliasDepth--;
    this.expanding.delete(node);
    return value;
  }

  /** Keys in order; `<<` merges where it stands and a later key replaces an earlier one (v2, unlike the YAML spec). */
  private mapping(node: YAMLMap, into: GoMap): GoMap {
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      if (isMergeKey(keyNode)) {
        this.merge(pair.value as Node | null, into);
        continue;
      }
      const key = this.unmarshal(keyNode);
      if (key instanceof Map || Array.isArray(key)) throw new Error(`invalid map key: a ${key instanceof Map ? 'mapping' : 'sequence'}`);
      const value = this.unmarshal(pair.value as Node | null);
      into.set(identity(key), { key, value });
    }
    return into;
  }

  /** decode.go's merge: a mapping, an alias of one, or a sequence of those (the first of the sequence wins). */
  private merge(node: Node | null, into: GoMap): void {
    const isMapping = (n: unknown) => isMap(n) || (isAlias(n) && isMap(this.aliases.get(n)));
    const sources = isSeq(node) ? [...node.items].reverse() as Array<Node | null> : [node];
    if (!sources.every(isMapping)) {
      throw new Error('map merge requires map or sequence of maps as the value');
    }
    for (const source of sources) this.unmarshal(source, into);
  }
}

/** decode.go's allowedAliasRatio: 99 % of the decodes may come from aliases up to 400,000 decodes, 10 % from 4,000,000. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** A scalar node (an absent node is an empty plain scalar, i.e. null). */
function scalarOf(node: Node | null): GoYamlScalar {
  if (node === null || node === undefined) return { type: 'null' };
  if (!isScalar(node)) throw new Error('unexpected YAML node');
  return resolveGoYamlScalar(String(node.value), node.tag, node.type === 'PLAIN');
}

/** decode.go's isMerge: a `<<` written plain (or with the non-specific `!`), or tagged `!!merge`. */
function isMergeKey(node: Node | null): boolean {
  return isScalar(node) && node.value === '<<' && ((node.type === 'PLAIN' && node.tag === undefined) || node.tag === '!' || node.tag === MERGE_TAG);
}

/** A Go map key's identity: its type and value (float keys compare as numbers, so -0 is 0; NaN keys are taken as one). */
function identity(key: GoYamlScalar): string {
  switch (key.type) {
    case 'null': return 'null';
    case 'bool': return `bool ${key.value}`;
    case 'int': return `int ${key.digits}`;
    case 'float': return `float ${key.value}`;
    case 'str': return `str ${key.value}`;
  }
}

/** sigs.k8s.io/yaml's convertToJSONableObject, then json.Marshal. */
function toJson(value: GoValue): unknown {
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) {
    const entries = new Map<string, unknown>();
    for (const { key, value: member } of value.values()) {
      const name = jsonKey(key);
      if (entries.has(name)) {
        throw new Error(`two keys become "${name}" in JSON (kubectl keeps one of them at random); write the key once`);
      }
      entries.set(name, toJson(member));
    }
    return Object.fromEntries(entries);
  }
  switch (value.type) {
    case 'null': return null;
    case 'int': return Number(value.digits);
    case 'float':
      if (!Number.isFinite(value.value)) throw new Error(`json: unsupported value: ${value.value} (a YAML .inf or .nan)`);
      return value.value;
    default: return value.value;
  }
}

/** sigs.k8s.io/yaml's key conversion: strings stay, ints and bools are spelled out, floats as Go's FormatFloat(k, 'g', -1, 32). */
function jsonKey(key: GoYamlScalar): string {
  switch (key.type) {
    case 'str': return key.value;
    case 'bool': return String(key.value);
    case 'float': return formatFloat32(key.value);
    case 'int':
      if (!key.unsigned) return key.digits;
      throw new Error(`unsupported map key of type: uint64, key: ${key.digits}`);
    case 'null': throw new Error('unsupported map key of type: <nil> (a null key)');
  }
}

/** strconv.FormatFloat(f, 'g', -1, 32) with go-yaml's spellings of infinities and NaN. */
function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (Number.isNaN(f)) return '.nan';
  if (!Number.isFinite(f)) return f > 0 ? '.inf' : '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let precision = 1;
  while (Math.fround(Number(f.toPrecision(precision))) !== f) precision++;
  const shortest = Number(f.toPrecision(precision));
  const exponent = Number(shortest.toExponential().split('e')[1]);
  if (exponent >= -4 && exponent < 6) return String(shortest);
  return shortest.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
}
