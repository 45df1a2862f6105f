import type { CreateNodeOptions, DocumentOptions, ScalarTag, SchemaOptions, ToStringOptions } from 'yaml';
import { Document, isScalar, stringify, visit } from 'yaml';
import { resolveGoYamlScalar } from './go-yaml-v2-scalar';

/**
 * A character go-yaml v2 (kubectl, the API server) does not read as the `yaml` package writes it raw: one its reader
 * refuses (outside YAML 1.1's printable set: DEL, C1 controls, U+FFFE/U+FFFF, lone surrogates) or a YAML 1.1 line
 * break (NEL, LS, PS), which folds the text around it. Escaped in a double-quoted scalar, each reads back as itself.
 */
const MISREAD_CHARACTER = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const MISREAD_CHARACTERS = new RegExp(MISREAD_CHARACTER.source, 'gu');
/** Text that may hold one: a raw character of the class, or an escaped surrogate (`"\ud800"`, go-yaml refuses it). */
const MAY_HOLD_MISREAD_TEXT = new RegExp(`${MISREAD_CHARACTER.source}|\\\\u[dD][89a-fA-F]`, 'u');
/** A lone surrogate: a code unit JSON can escape and YAML cannot carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** go-yaml v2's escapes for the line breaks it would otherwise fold. */
const LINE_BREAK_ESCAPES = new Map([['\x85', '\\N'], ['\u2028', '\\L'], ['\u2029', '\\P']]);
/** The first characters of the plain scalars go-yaml v2 may read as a number or a merge key (`0o17`, `1e1_0`, `<<`). */
const NUMBER_OR_MERGE_START = /^[0-9+\-.<]/;

/**
 * The `test` of {@link GO_YAML_READS_OTHERWISE}: whether go-yaml v2 reads a plain scalar as something else than that
 * string. The `yaml` package asks every default tag's `test` before it writes a string plain.
 */
class GoYamlReadsOtherwise extends RegExp {
  constructor() {
    super('(?!)');
  }

  public test(plain: string): boolean {
    if (!NUMBER_OR_MERGE_START.test(plain)) return false;
    return plain === '<<' || resolveGoYamlScalar(plain, undefined, true).type !== 'str';
  }
}

/**
 * A tag nothing is written with (`identify` takes no value); its `test` makes the `yaml` package quote the strings
 * its YAML 1.1 schema would write plain but go-yaml v2 reads as numbers (`0o17`, `0X1F`, `0B101`, `1e1_0`, `.5e1_0`)
 * or as a merge key (`<<`).
 */
const GO_YAML_READS_OTHERWISE: ScalarTag = {
  tag: 'tag:cdk8s-hardened,2026:go-yaml-v2-reads-otherwise',
  default: true,
  identify: () => false,
  resolve: (text) => text,
  test: new GoYamlReadsOtherwise(),
};

const MERGE_TAG = 'tag:yaml.org,2002:merge';

/**
 * The options cdk8s's `Yaml.stringify` writes with (cdk8s/lib/yaml.js), with the tag above and without the YAML 1.1
 * merge tag: with it the `yaml` package writes the string `<<` plain, which go-yaml v2 reads as a merge key.
 */
const OPTIONS: ToStringOptions & CreateNodeOptions & DocumentOptions & SchemaOptions = {
  keepUndefined: true,
  lineWidth: 0,
  version: '1.1',
  merge: false,
  customTags: (tags) => [...tags.filter((tag) => typeof tag === 'string' || tag.tag !== MERGE_TAG), GO_YAML_READS_OTHERWISE],
};

/**
 * Writes manifests as cdk8s's `Yaml.stringify` does (the same layout, documents separated by `---`, an undefined
 * document as an empty line), except where kubectl and the API server would read a string otherwise: those strings
 * are quoted, and characters go-yaml v2 refuses or takes for line breaks are escaped. What it writes reads back, as
 * kubectl reads it, as the objects it was given.
 * @throws Error for a string holding a lone surrogate (no YAML or JSON carries it to the API server unchanged)
 */
export function stringifyKubernetesYaml(documents: readonly unknown[]): string {
  return documents.map((document) => (document === undefined ? '\n' : stringifyDocument(document))).join('---\n');
}

function stringifyDocument(value: unknown): string {
  const text = stringify(value, OPTIONS);
  if (!MAY_HOLD_MISREAD_TEXT.test(text)) return text;
  // Rare: every string holding such a character is double-quoted, the only style with escapes, and then escaped.
  const document = new Document(value, OPTIONS);
  visit(document, {
    Scalar(_, node) {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const surrogate = LONE_SURROGATE.exec(node.value);
      if (surrogate) {
        throw new Error(`${objectName(value)}: a string holds a lone surrogate (U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}), `
          + 'which YAML cannot carry and the API server would read as U+FFFD; remove it or use a whole character');
      }
      if (MISREAD_CHARACTER.test(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString(OPTIONS).replace(MISREAD_CHARACTERS, escapeCharacter);
}

function escapeCharacter(character: string): string {
  const code = character.codePointAt(0)!;
  return LINE_BREAK_ESCAPES.get(character) ?? (code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`);
}

function hex(code: number, digits: number): string {
  return code.toString(16).toUpperCase().padStart(digits, '0');
}

/** `kind/namespace/name` of a manifest, for an error. */
function objectName(manifest: any): string {
  const metadata = manifest?.metadata ?? {};
  return [manifest?.kind, metadata.namespace, metadata.name].filter((part) => typeof part === 'string').join('/') || 'a manifest';
}
