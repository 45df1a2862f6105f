import type { CreateNodeOptions, DocumentOptions, SchemaOptions, ToStringOptions } from 'yaml';
import { Document, isScalar, stringify, visit } from 'yaml';
import { resolveGoYamlScalar } from './go-yaml-v2-scalar';

/** The options cdk8s's `Yaml.stringify` writes with (cdk8s/lib/yaml.js). */
const CDK8S_OPTIONS: ToStringOptions & CreateNodeOptions & DocumentOptions = { keepUndefined: true, lineWidth: 0, version: '1.1' };
const MERGE_TAG = 'tag:yaml.org,2002:merge';
/**
 * The same, without the YAML 1.1 merge tag: with it the `yaml` package writes the string `<<` plain, whatever its
 * style, and go-yaml v2 reads that as a merge key.
 */
const WITHOUT_MERGE_KEYS: ToStringOptions & CreateNodeOptions & DocumentOptions & SchemaOptions = {
  ...CDK8S_OPTIONS,
  merge: false,
  customTags: (tags) => tags.filter((tag) => typeof tag === 'string' || tag.tag !== MERGE_TAG),
};
/** The tags by which the `yaml` package's YAML 1.1 schema reads a plain scalar as something else than a string. */
const YAML_1_1_NOT_STRING_TAGS = new Document(null, { version: '1.1' }).schema.tags
  .filter((tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test !== undefined);

/**
 * A character go-yaml v2 (kubectl, the API server) does not read as the `yaml` package writes it raw: one its reader
 * refuses (outside YAML 1.1's printable set: DEL, C1 controls, U+FFFE/U+FFFF, lone surrogates) or a YAML 1.1 line
 * break (NEL, LS, PS), which folds the text around it. Escaped in a double-quoted scalar, each reads back as itself.
 */
const MISREAD_CHARACTER = /[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const MISREAD_CHARACTERS = new RegExp(MISREAD_CHARACTER.source, 'gu');
/** A lone surrogate: a code unit JSON can escape and YAML cannot carry. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** go-yaml v2's escapes for the line breaks it would otherwise fold. */
const LINE_BREAK_ESCAPES = new Map([['\x85', '\\N'], ['\u2028', '\\L'], ['\u2029', '\\P']]);
/** The characters every number go-yaml v2 reads and the YAML 1.1 schema does not holds (`0o17`, `0X1F`, `0B101`, `1e1_0`). */
export const GO_YAML_ONLY_NUMBER_CHARACTERS = /[_oOXB]/;
/**
 * What the text of a document that needs quoting holds, found in one quick scan (most documents hold none): a
 * character outside printable ASCII or a backslash (which may escape a surrogate), or, where a plain scalar may start
 * (the text's start, after a space or a line break), a token that starts like a number and holds one of
 * {@link GO_YAML_ONLY_NUMBER_CHARACTERS}, or `<<`. It also finds text that needs nothing; that only costs a closer look.
 */
const MAY_BE_MISREAD = new RegExp(`[^\\t\\n\\r\\x20-\\x5b\\x5d-\\x7e]|(?:^|[ \\n])(?:[-+.0-9][^\\s:]*${GO_YAML_ONLY_NUMBER_CHARACTERS.source}|<<)`);

/**
 * Whether go-yaml v2 reads a plain scalar as something else than the string the `yaml` package means when it writes
 * it plain: a number its YAML 1.1 schema does not know (`0o17`, `0X1F`, `0B101`, `1e1_0`, `.5e1_0`) or a merge key.
 */
export function goYamlReadsOtherwise(plain: string): boolean {
  if (plain === '<<') return true;
  return resolveGoYamlScalar(plain, undefined, true).type !== 'str' && !YAML_1_1_NOT_STRING_TAGS.some((tag) => tag.test!.test(plain));
}

/**
 * Writes manifests as cdk8s's `Yaml.stringify` does (the same layout, documents separated by `---`, an undefined
 * document as an empty line), except where kubectl and the API server would read a string otherwise: those strings
 * are double-quoted, and characters go-yaml v2 refuses or takes for line breaks are escaped. What it writes reads
 * back, as kubectl reads it, as the objects it was given.
 * @throws Error for a string holding a lone surrogate (no YAML or JSON carries it to the API server unchanged)
 */
export function stringifyKubernetesYaml(documents: readonly unknown[]): string {
  return documents.map((document) => (document === undefined ? '\n' : stringifyDocument(document))).join('---\n');
}

function stringifyDocument(value: unknown): string {
  const text = stringify(value, CDK8S_OPTIONS);
  return MAY_BE_MISREAD.test(text) ? stringifyQuoting(value) : text;
}

/** The document with every string go-yaml v2 would read otherwise double-quoted (the only style with escapes), and escaped. */
function stringifyQuoting(value: unknown): string {
  const document = new Document(value, WITHOUT_MERGE_KEYS);
  visit(document, {
    Scalar(_, node) {
      if (!isScalar(node) || typeof node.value !== 'string') return;
      const surrogate = LONE_SURROGATE.exec(node.value);
      if (surrogate) {
        throw new Error(`${objectName(value)}: a string holds a lone surrogate (U+${hex(surrogate[0].charCodeAt(0), 4)}), `
          + 'which YAML cannot carry and the API server would read as U+FFFD; remove it or use a whole character');
      }
      if (MISREAD_CHARACTER.test(node.value) || goYamlReadsOtherwise(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return document.toString(WITHOUT_MERGE_KEYS).replace(MISREAD_CHARACTERS, escapeCharacter);
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
