import type { Document } from 'yaml';
import { isScalar, visit } from 'yaml';

/**
 * What go-yaml v2's reader (reader.go) refuses before it scans: any character outside YAML 1.1's printable set (tab,
 * line feed, carriage return, #x20–#x7E, NEL, #xA0–#xD7FF, #xE000–#xFFFD, #x10000–#x10FFFF), and so a lone surrogate.
 */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
/** NEL, LS and PS: line breaks for go-yaml v2 (YAML 1.1), ordinary characters for the `yaml` package (YAML 1.2). */
const YAML_1_1_LINE_BREAK = /[\x85\u2028\u2029]/;
/** The characters go-yaml v2 takes after a backslash in a double-quoted scalar (scannerc.go), line breaks included. */
const SINGLE_CHARACTER_ESCAPES = new Set(['0', 'a', 'b', 't', '\t', 'n', 'v', 'f', 'r', 'e', ' ', '"', '\'', '\\', 'N', '_', 'L', 'P', '\n', '\r']);
/** The escapes go-yaml v2 reads as a code point, and their number of hexadecimal digits. */
const CODE_POINT_ESCAPES = new Map([['x', 2], ['u', 4], ['U', 8]]);

/**
 * Refuses a document part that go-yaml v2 reads otherwise than the `yaml` package could: a character go-yaml refuses,
 * or one it takes for a line break where YAML 1.2 does not (what follows the break, even in a comment, is content to
 * kubectl and a comment or scalar text to a YAML 1.2 reader).
 * @throws Error naming the character, its line in the part and the fix
 */
export function checkGoYamlCharacters(part: string): void {
  const control = NOT_PRINTABLE.exec(part);
  if (control) {
    throw new Error(`not YAML (control characters are not allowed: ${codePoint(control[0])} on line ${lineOf(part, control.index)}); `
      + 'remove it, or write it escaped in a double-quoted string');
  }
  const lineBreak = YAML_1_1_LINE_BREAK.exec(part);
  if (lineBreak) {
    throw new Error(`${codePoint(lineBreak[0])} on line ${lineOf(part, lineBreak.index)} is a line break for kubectl (YAML 1.1) and not for `
      + 'YAML 1.2 readers, so they read what follows it differently; remove it, or write it escaped (\\N, \\L, \\P) in a double-quoted string');
  }
}

/**
 * The part with go-yaml v2's double-quoted escapes checked, and rewritten where the `yaml` package reads them otherwise:
 * `\'` (a quote to go-yaml, an error to YAML 1.2) becomes `'`. `\/` (YAML 1.2 only) and code points that are surrogates
 * or beyond U+10FFFF are refused, as go-yaml refuses them.
 * @param part the document part, as parsed
 * @param document its parse (scalars with their source ranges)
 * @returns the part itself when nothing needs rewriting
 * @throws Error with go-yaml's reason and the line
 */
export function withGoYamlEscapes(part: string, document: Document.Parsed): string {
  const quotes: number[] = [];
  visit(document, {
    Scalar(_, node) {
      if (!isScalar(node) || node.type !== 'QUOTE_DOUBLE' || !node.range) return;
      const start = part.indexOf('"', node.range[0]);
      for (let i = start + 1; i < node.range[1] - 1; i++) {
        if (part[i] !== '\\') continue;
        const escaped = part[i + 1];
        const digits = CODE_POINT_ESCAPES.get(escaped);
        if (digits !== undefined) {
          checkCodePoint(part, i, part.slice(i + 2, i + 2 + digits), digits);
          i += 1 + digits;
          continue;
        }
        if (!SINGLE_CHARACTER_ESCAPES.has(escaped)) throw new Error(`not YAML (found unknown escape character \\${escaped} on line ${lineOf(part, i)}); fix the YAML`);
        if (escaped === '\'') quotes.push(i);
        i++;
      }
    },
  });
  return quotes.reverse().reduce((text, backslash) => text.slice(0, backslash) + text.slice(backslash + 1), part);
}

function checkCodePoint(part: string, backslash: number, hex: string, digits: number): void {
  if (hex.length !== digits || !/^[0-9A-Fa-f]+$/.test(hex)) {
    throw new Error(`not YAML (did not find expected hexdecimal number on line ${lineOf(part, backslash)}); fix the YAML`);
  }
  const value = parseInt(hex, 16);
  if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff) {
    throw new Error(`not YAML (found invalid Unicode character escape code \\${part[backslash + 1]}${hex} on line ${lineOf(part, backslash)}); `
      + 'write the character itself, or one escape of its code point (\\U0001F600, not a surrogate pair)');
  }
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The 1-based line of a position in the part. */
function lineOf(part: string, position: number): number {
  let line = 1;
  for (let i = part.indexOf('\n'); i !== -1 && i < position; i = part.indexOf('\n', i + 1)) line++;
  return line;
}
