// RE2 syntax check for header-match expressions.
//
// Istio and the Envoy-based Gateway API implementations hand header regexes to Envoy, which compiles them
// with RE2 (C++); istiod's validating webhook first compiles them with Go's regexp (the Go port of RE2).
// JavaScript's RegExp is neither: it refuses `(?i)` and accepts look-around and back-references. This
// checker follows RE2's parser (re2/parse.cc; Go's regexp/syntax is a line-by-line port) and accepts what
// both accept: where the two differ, or where RE2 versions differ, it refuses.
//   - `\C` (any byte): RE2 C++ accepts it, Go refuses it, and it can split a UTF-8 character.
//   - `(?<name>re)`: RE2 before 2023 and its syntax reference refuse it; `(?P<name>re)` works everywhere.
//   - `\p{Script}`: only the scripts RE2's syntax reference lists (every RE2 build knows them); newer
//     scripts depend on the Unicode version the proxy was built with.
// It checks syntax and RE2's repetition limit (nested counts ≤ 1000), not RE2's compiled-program size.

/** Why an expression is not valid RE2, and how to fix it. */
export interface Re2SyntaxProblem {
  /** What is wrong, naming the part of the expression. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

/** RE2's limit on a counted repetition (and on the product of nested ones). */
const MAX_REPEAT = 1000;

const POSIX_CLASSES = new Set(
  ['alnum', 'alpha', 'ascii', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'word', 'xdigit']
    .flatMap((name) => [`[:${name}:]`, `[:^${name}:]`]),
);

/** General categories and scripts RE2's syntax reference lists (Cn, LC and L& are not supported). */
const UNICODE_CLASSES = new Set([
  'Any',
  'C', 'Cc', 'Cf', 'Co', 'Cs', 'L', 'Ll', 'Lm', 'Lo', 'Lt', 'Lu', 'M', 'Mc', 'Me', 'Mn', 'N', 'Nd', 'Nl', 'No',
  'P', 'Pc', 'Pd', 'Pe', 'Pf', 'Pi', 'Po', 'Ps', 'S', 'Sc', 'Sk', 'Sm', 'So', 'Z', 'Zl', 'Zp', 'Zs',
  'Arabic', 'Armenian', 'Balinese', 'Bengali', 'Bopomofo', 'Braille', 'Buginese', 'Buhid', 'Canadian_Aboriginal', 'Carian', 'Cham',
  'Cherokee', 'Common', 'Coptic', 'Cuneiform', 'Cypriot', 'Cyrillic', 'Deseret', 'Devanagari', 'Ethiopic', 'Georgian', 'Glagolitic',
  'Gothic', 'Greek', 'Gujarati', 'Gurmukhi', 'Han', 'Hangul', 'Hanunoo', 'Hebrew', 'Hiragana', 'Inherited', 'Kannada', 'Katakana',
  'Kayah_Li', 'Kharoshthi', 'Khmer', 'Lao', 'Latin', 'Lepcha', 'Limbu', 'Linear_B', 'Lycian', 'Lydian', 'Malayalam', 'Mongolian',
  'Myanmar', 'New_Tai_Lue', 'Nko', 'Ogham', 'Ol_Chiki', 'Old_Italic', 'Old_Persian', 'Oriya', 'Osmanya', 'Phags_Pa', 'Phoenician',
  'Rejang', 'Runic', 'Saurashtra', 'Shavian', 'Sinhala', 'Sundanese', 'Syloti_Nagri', 'Syriac', 'Tagalog', 'Tagbanwa', 'Tai_Le',
  'Tamil', 'Telugu', 'Thaana', 'Thai', 'Tibetan', 'Tifinagh', 'Ugaritic', 'Vai', 'Yi',
]);

/** Hints for escapes other dialects have and RE2 refuses. */
const ESCAPE_HINTS: { [letter: string]: string } = {
  Z: 'RE2 has no \\Z; use \\z (end of text) or $',
  G: 'RE2 has no \\G; anchor with ^ or \\A',
  k: 'RE2 has no back-references; match the repeated text explicitly',
  g: 'RE2 has no back-references or subroutine calls; match the text explicitly',
  e: 'write the escape character as \\x1b',
  c: 'write control characters as \\x01 … \\x1f',
  h: 'use [\\t ] for horizontal space',
  R: 'use (?:\\r\\n|\\n|\\r) for a line break',
  K: 'RE2 cannot reset the match start; match the whole value',
  X: 'use \\PM\\pM* for a character with its combining marks',
  N: 'write the character itself or \\x{…}',
  E: '\\E only ends a \\Q…\\E quote',
  b: 'inside a class RE2 does not read \\b as backspace; write \\x08',
};

class SyntaxProblem extends Error {
  public constructor(public readonly problem: string, public readonly fix: string) {
    super(problem);
  }
}

interface Node {
  /** Counted repetition {min,max} (max -1: unbounded), for RE2's limit on nested counts. */
  readonly repeat?: { readonly min: number; readonly max: number };
  readonly subs: Node[];
}

type StackItem = { readonly marker: 'paren' } | { readonly marker: 'bar' } | { readonly marker?: undefined; readonly node: Node };

const LEAF: Node = { subs: [] };

function isOctal(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '7';
}

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

function isAsciiAlnum(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** RE2's check of nested counted repetitions: the product of the counts must stay within 1000. */
function repeatIsValid(node: Node, budget: number): boolean {
  let n = budget;
  if (node.repeat) {
    let m = node.repeat.max;
    if (m === 0) return true;
    if (m < 0) m = node.repeat.min;
    if (m > n) return false;
    if (m > 0) n = Math.floor(n / m);
  }
  return node.subs.every((sub) => repeatIsValid(sub, n));
}

class Re2Parser {
  private readonly chars: string[];
  private readonly stack: StackItem[] = [];
  private readonly names = new Set<string>();
  private i = 0;

  public constructor(pattern: string) {
    this.chars = Array.from(pattern);
  }

  public parse(): void {
    const c = this.chars;
    let lastRepeat = -1;
    while (this.i < c.length) {
      let repeat = -1;
      const start = this.i;
      switch (c[this.i]) {
        case '(':
          if (c[this.i + 1] === '?') {
            this.perlGroup();
          } else {
            this.stack.push({ marker: 'paren' });
            this.i++;
          }
          break;
        case '|':
          this.stack.push({ marker: 'bar' });
          this.i++;
          break;
        case ')':
          this.closeParen();
          this.i++;
          break;
        case '[':
          this.charClass();
          this.push(LEAF);
          break;
        case '*': case '+': case '?':
          this.i++;
          if (c[this.i] === '?') this.i++;
          this.repeat(start, lastRepeat, undefined);
          repeat = start;
          break;
        case '{': {
          const counts = this.counts();
          if (!counts) {
            this.push(LEAF);
            this.i++;
            break;
          }
          if (c[this.i] === '?') this.i++;
          if (counts.min > MAX_REPEAT || counts.max > MAX_REPEAT || (counts.max >= 0 && counts.min > counts.max)) {
            throw new SyntaxProblem(
              `the repeat count ${this.fragment(start)} is invalid`,
              `RE2 allows counts up to ${MAX_REPEAT} with min ≤ max; use * or + for longer runs`,
            );
          }
          this.repeat(start, lastRepeat, counts);
          repeat = start;
          break;
        }
        case '\\':
          this.escapeOutsideClass();
          break;
        default:
          this.push(LEAF);
          this.i++;
      }
      lastRepeat = repeat;
    }
    if (this.stack.some((item) => item.marker === 'paren')) {
      throw new SyntaxProblem('a "(" is never closed', 'balance the parentheses (a literal parenthesis is written \\()');
    }
  }

  private fragment(start: number, end: number = this.i): string {
    return `\`${this.chars.slice(start, end).join('')}\``;
  }

  private push(node: Node): void {
    this.stack.push({ node });
  }

  private repeat(start: number, lastRepeat: number, counts: { min: number; max: number } | undefined): void {
    if (lastRepeat >= 0) {
      const text = this.chars.slice(lastRepeat, this.i).join('');
      const possessive = /^(\*|\+|\?|\{[0-9,]+\})\+$/.test(text);
      throw new SyntaxProblem(
        possessive ? `the possessive repetition \`${text}\` is not supported by RE2` : `the repetition \`${text}\` repeats a repetition`,
        possessive ? 'drop the trailing +: RE2 never backtracks, so the greedy form matches the same' : 'use a single repetition operator, or group first: (?:x*)*',
      );
    }
    const top = this.stack[this.stack.length - 1];
    if (!top || top.marker !== undefined) {
      throw new SyntaxProblem(`the repetition ${this.fragment(start)} has nothing to repeat`, 'put the repeated expression before it, or escape it (\\*, \\+, \\?)');
    }
    const node: Node = { repeat: counts, subs: [top.node] };
    this.stack[this.stack.length - 1] = { node };
    if (counts && (counts.min >= 2 || counts.max >= 2) && !repeatIsValid(node, MAX_REPEAT)) {
      throw new SyntaxProblem(
        `the nested repetitions up to ${this.fragment(start)} repeat more than ${MAX_REPEAT} times in total`,
        `keep the product of nested counts within ${MAX_REPEAT}, or use * or +`,
      );
    }
  }

  /** `{n}`, `{n,}`, `{n,m}` at i (advancing past it), or undefined when `{` is a literal (as in RE2). */
  private counts(): { min: number; max: number } | undefined {
    const match = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(this.chars.slice(this.i).join(''));
    if (!match) return undefined;
    // Counts too long to read are refused as too large (Go's RE2; RE2 C++ would read 10+ digits as text).
    this.i += match[0].length;
    const min = Number(match[1]);
    return { min, max: match[2] === undefined ? min : match[3] === undefined ? -1 : Number(match[3]) };
  }

  private closeParen(): void {
    let open = this.stack.length - 1;
    while (open >= 0 && this.stack[open].marker !== 'paren') open--;
    if (open < 0) throw new SyntaxProblem(`the ")" at position ${this.i + 1} closes nothing`, 'balance the parentheses (a literal parenthesis is written \\))');
    const inner = this.stack.splice(open).flatMap((item) => (item.marker === undefined ? [item.node] : []));
    this.push({ subs: inner });
  }

  /** `(?…`: flags, a non-capturing group or a named group; everything else RE2 refuses. */
  private perlGroup(): void {
    const c = this.chars;
    const start = this.i;
    const rest = c.slice(this.i + 2, this.i + 4).join('');
    if (rest.startsWith('P<')) {
      const close = c.indexOf('>', this.i + 4);
      if (close < 0) throw new SyntaxProblem(`the named group ${this.fragment(start, c.length)} is never closed with ">"`, 'write (?P<name>expr)');
      const name = c.slice(this.i + 4, close).join('');
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        throw new SyntaxProblem(`the group name in ${this.fragment(start, close + 1)} is invalid`, 'use letters, digits and _ only');
      }
      if (this.names.has(name)) throw new SyntaxProblem(`the group name "${name}" is used twice`, 'give each named group its own name');
      this.names.add(name);
      this.stack.push({ marker: 'paren' });
      this.i = close + 1;
      return;
    }
    const unsupported = (what: string, fix: string) => new SyntaxProblem(`${what} ${this.fragment(start, Math.min(c.length, start + 4))} is not supported by RE2`, fix);
    if (rest.startsWith('<=') || rest.startsWith('<!')) throw unsupported('the look-behind', 'RE2 has no look-around: match the preceding text explicitly');
    if (rest.startsWith('=') || rest.startsWith('!')) throw unsupported('the look-ahead', 'RE2 has no look-around: match the following text explicitly, or use a second header match');
    if (rest.startsWith('<') || rest.startsWith('\'')) throw unsupported('the named group', 'write (?P<name>expr): older RE2 builds (and RE2\'s syntax reference) know only that form');
    if (rest.startsWith('>')) throw unsupported('the atomic group', 'drop it: RE2 never backtracks, so (?:expr) matches the same');
    if (rest.startsWith('P')) throw unsupported('the back-reference or recursion', 'RE2 has no back-references: match the text explicitly');
    if (rest.startsWith('#')) throw unsupported('the comment', 'remove the comment');
    let negated = false;
    let sawFlag = false;
    for (let j = this.i + 2; ; j++) {
      const ch = c[j];
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        sawFlag = true;
      } else if (ch === '-' && !negated) {
        negated = true;
        sawFlag = false;
      } else if ((ch === ':' || ch === ')') && (!negated || sawFlag)) {
        if (ch === ':') this.stack.push({ marker: 'paren' });
        this.i = j + 1;
        return;
      } else {
        throw new SyntaxProblem(
          `${this.fragment(start, Math.min(c.length, j + 1))} is not a flag group RE2 knows`,
          'RE2 groups are (?:expr), (?P<name>expr) and flags (?i), (?s), (?m), (?U), (?i-s), (?i:expr); RE2 has no look-around, atomic groups, comments or recursion',
        );
      }
    }
  }

  private escapeOutsideClass(): void {
    const c = this.chars;
    const next = c[this.i + 1];
    if (next === undefined) throw new SyntaxProblem('the expression ends with a lone "\\"', 'escape the backslash itself as \\\\');
    if ('AbBz'.includes(next)) {
      this.push(LEAF);
      this.i += 2;
      return;
    }
    if (next === 'C') {
      throw new SyntaxProblem(
        'the any-byte escape `\\C` is refused (Go\'s RE2, which validates Istio routes, rejects it, and it can split a UTF-8 character)',
        'use . for any character',
      );
    }
    if (next === 'Q') {
      let end = this.i + 2;
      while (end < c.length && !(c[end] === '\\' && c[end + 1] === 'E')) end++;
      for (let k = this.i + 2; k < end; k++) this.push(LEAF);
      this.i = Math.min(c.length, end + 2);
      return;
    }
    if (next === 'p' || next === 'P') {
      this.unicodeClass();
      this.push(LEAF);
      return;
    }
    if ('dDsSwW'.includes(next)) {
      this.i += 2;
      this.push(LEAF);
      return;
    }
    this.escape();
    this.push(LEAF);
  }

  /** `\pL`, `\p{Greek}`, `\P{^Greek}` at i. */
  private unicodeClass(): void {
    const c = this.chars;
    const start = this.i;
    const first = c[this.i + 2];
    let name: string;
    if (first === undefined) {
      name = '';
      this.i += 2;
    } else if (first !== '{') {
      name = first;
      this.i += 3;
    } else {
      const close = c.indexOf('}', this.i + 3);
      if (close < 0) throw new SyntaxProblem(`the Unicode class ${this.fragment(start, c.length)} is never closed with "}"`, 'write \\p{Name}');
      name = c.slice(this.i + 3, close).join('');
      this.i = close + 1;
    }
    if (!UNICODE_CLASSES.has(name.replace(/^\^/, ''))) {
      throw new SyntaxProblem(
        `the Unicode class ${this.fragment(start)} is not one RE2 knows`,
        'use a general category (\\pL, \\p{Lu}, \\pN, …), a script RE2 lists (\\p{Greek}, \\p{Han}, …), \\p{Any}, or a range such as [\\x{0600}-\\x{06FF}]',
      );
    }
  }

  /** A single-character escape at i (also inside classes); returns the code point. */
  private escape(): number {
    const c = this.chars;
    const start = this.i;
    const letter = c[this.i + 1];
    if (letter === undefined) throw new SyntaxProblem('the expression ends with a lone "\\"', 'escape the backslash itself as \\\\');
    this.i += 2;
    if (letter.length === 1 && letter.charCodeAt(0) < 0x80 && !isAsciiAlnum(letter)) return letter.charCodeAt(0);
    if ((letter >= '1' && letter <= '7' && !isOctal(c[this.i])) || letter === '8' || letter === '9') {
      throw new SyntaxProblem(`the back-reference ${this.fragment(start)} is not supported by RE2`, 'RE2 has no back-references: match the text explicitly (an octal escape needs two digits, e.g. \\01)');
    }
    if (letter >= '0' && letter <= '7') {
      let value = Number(letter);
      for (let k = 0; k < 2 && isOctal(c[this.i]); k++) value = value * 8 + Number(c[this.i++]);
      return value;
    }
    if (letter === 'x') {
      if (c[this.i] === '{') {
        let value = 0;
        let digits = 0;
        this.i++;
        while (isHex(c[this.i])) {
          value = value * 16 + parseInt(c[this.i++], 16);
          digits++;
          if (value > 0x10ffff) break;
        }
        if (c[this.i] === '}' && digits > 0 && value <= 0x10ffff) {
          this.i++;
          return value;
        }
        throw new SyntaxProblem(`the escape ${this.fragment(start, Math.min(c.length, this.i + 1))} is not a valid code point`, 'write \\x{…} with 1 or more hex digits up to 10FFFF');
      }
      if (isHex(c[this.i]) && isHex(c[this.i + 1])) {
        this.i += 2;
        return parseInt(c.slice(this.i - 2, this.i).join(''), 16);
      }
      throw new SyntaxProblem(`the escape ${this.fragment(start, Math.min(c.length, this.i + 2))} is not valid`, 'write \\x with exactly two hex digits, or \\x{…}');
    }
    const controls: { [letter: string]: number } = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (controls[letter] !== undefined) return controls[letter];
    throw new SyntaxProblem(
      `the escape ${this.fragment(start)} is not supported by RE2`,
      ESCAPE_HINTS[letter] ?? 'RE2 escapes are \\d \\s \\w \\b \\A \\z \\pL \\x{…} \\n \\t, octal \\012 and any punctuation (\\., \\*)',
    );
  }

  /** A class character at i: a literal or an escape; returns the code point. */
  private classChar(classStart: number): number {
    const ch = this.chars[this.i];
    if (ch === undefined) throw this.missingBracket(classStart);
    if (ch === '\\') return this.escape();
    this.i++;
    return ch.codePointAt(0)!;
  }

  private missingBracket(classStart: number): SyntaxProblem {
    return new SyntaxProblem(`the class ${this.fragment(classStart, Math.min(this.chars.length, classStart + 20))} is never closed with "]"`, 'close it with ], or escape a literal bracket as \\[');
  }

  /** `[…]` at i. */
  private charClass(): void {
    const c = this.chars;
    const start = this.i;
    this.i++;
    if (c[this.i] === '^') this.i++;
    let first = true;
    while (this.i >= c.length || c[this.i] !== ']' || first) {
      if (this.i >= c.length) throw this.missingBracket(start);
      first = false;
      if (c[this.i] === '[' && c[this.i + 1] === ':' && c.length - this.i > 2) {
        let close = this.i + 2;
        while (close < c.length - 1 && !(c[close] === ':' && c[close + 1] === ']')) close++;
        if (close < c.length - 1) {
          const name = c.slice(this.i, close + 2).join('');
          if (!POSIX_CLASSES.has(name)) {
            throw new SyntaxProblem(`the class name \`${name}\` is not one RE2 knows`, 'use [:alpha:], [:digit:], [:alnum:], [:space:], [:word:], [:upper:], [:lower:], [:punct:], [:xdigit:], …');
          }
          this.i = close + 2;
          continue;
        }
      }
      if (c[this.i] === '\\' && (c[this.i + 1] === 'p' || c[this.i + 1] === 'P')) {
        this.unicodeClass();
        continue;
      }
      if (c[this.i] === '\\' && c[this.i + 1] !== undefined && 'dDsSwW'.includes(c[this.i + 1])) {
        this.i += 2;
        continue;
      }
      const rangeStart = this.i;
      const lo = this.classChar(start);
      if (c[this.i] === '-' && this.i + 1 < c.length && c[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classChar(start);
        if (hi < lo) throw new SyntaxProblem(`the range ${this.fragment(rangeStart)} runs backwards`, 'write the lower end first, e.g. [a-z]');
      }
    }
    this.i++;
  }
}

/**
 * Checks a regular expression against RE2's syntax (see the top of this file for the few places where the
 * check is stricter than one RE2 implementation). Returns the problem, or undefined when RE2 accepts it.
 */
export function re2SyntaxProblem(pattern: string): Re2SyntaxProblem | undefined {
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(pattern)) {
    return { problem: 'it holds a lone UTF-16 surrogate, which is not valid UTF-8', fix: 'write the character itself or \\x{…}' };
  }
  try {
    new Re2Parser(pattern).parse();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxProblem) return { problem: error.problem, fix: error.fix };
    throw error;
  }
}
