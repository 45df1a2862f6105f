import * as fc from 'fast-check';
import { RE2JS } from 're2js';
import { re2SyntaxProblem } from '../../src/parsers/re2-syntax';

/** What the oracle (re2js, a port of RE2's Go/Java parser) says. */
function re2jsAccepts(pattern: string): boolean {
  try {
    RE2JS.compile(pattern);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where the checker is stricter than re2js on purpose (see src/workloads/re2-syntax.ts): `(?<name>…)`, which
 * RE2 before 2023 refuses, and Unicode scripts newer than the ones RE2's syntax reference lists.
 */
function deliberatelyStricter(pattern: string): boolean {
  const problem = re2SyntaxProblem(pattern)?.problem ?? '';
  return problem.includes('the named group `(?<') || (problem.includes('Unicode class') && re2jsAccepts(pattern));
}

/**
 * Where re2js is stricter than RE2 and Go: inside a class, re2js looks for the `:]` that closes a POSIX class name
 * from the `[:` itself, so `[[:]` (the characters `[` and `:`) reads to it as the class name `[:]`; RE2 (parse.cc
 * MaybeParseCCName) and Go (parseNamedClass) look after the `[:` and read `[` and `:` as literals. The pattern
 * means the same with the bracket escaped, which re2js accepts.
 */
function re2jsMisreadsColonBracket(pattern: string): boolean {
  return pattern.includes('[:]') && re2jsAccepts(pattern.split('[:]').join('\\[:]'));
}

describe('re2SyntaxProblem: what RE2 accepts', () => {
  test.each([
    ['case-insensitive flag', '(?i)abc'],
    ['flag groups', '(?s).(?m)^a$(?U)a*(?i-s:x)'],
    ['non-capturing and named groups', '(?:a|b)(?P<ver>[0-9]+)'],
    ['Unicode classes', '\\pL\\p{Greek}\\P{Han}\\p{^Latin}[\\p{Lu}\\d]'],
    ['POSIX classes', '[[:alpha:]][[:^digit:]]'],
    ['quoted text', '\\Qa.b*c\\E+'],
    ['end of text', 'abc\\z'],
    ['word boundaries and anchors', '\\A\\bword\\B$'],
    ['counted repetitions up to 1000', 'a{1000}b{2,}c{0,3}?'],
    ['nested counts within 1000', '(a{10}){100}'],
    ['escaped punctuation and controls', '\\.\\*\\_\\-\\n\\t\\x41\\x{1F600}\\012'],
    ['a brace that is no count', 'a{,5}x{01}{'],
    ['class edge cases', '[]a][a-][-a][\\d-z]'],
    ['the Safari example', '.*Safari.*'],
  ])('%s: %s', (_, pattern) => {
    // GIVEN an expression RE2 accepts, WHEN checked, THEN no problem is found and the oracle agrees
    expect(re2SyntaxProblem(pattern)).toBeUndefined();
    expect(re2jsAccepts(pattern)).toBe(true);
  });
});

describe('re2SyntaxProblem: what RE2 refuses', () => {
  test.each([
    ['look-ahead', '(?=a)b', /look-ahead/],
    ['negative look-ahead', '(?!bot).*', /look-ahead/],
    ['look-behind', '(?<=a)b', /look-behind/],
    ['back-reference', '(a)\\1', /back-reference/],
    ['named back-reference', '(?P<n>a)(?P=n)', /back-reference or recursion/],
    ['possessive repetition', 'a++', /possessive/],
    ['possessive count', 'a{2}+', /possessive/],
    ['atomic group', '(?>a)', /atomic group/],
    ['\\Z', 'abc\\Z', /escape `\\Z`/],
    ['count over 1000', 'a{1001}', /repeat count `\{1001\}`/],
    ['count backwards', 'a{3,2}', /repeat count/],
    ['nested counts over 1000', '(a{11}){100}', /more than 1000/],
    ['stacked repetition', 'a**', /repeats a repetition/],
    ['nothing to repeat', '*a', /nothing to repeat/],
    ['unclosed group', '.*(Safari', /never closed/],
    ['unopened group', 'a)', /closes nothing/],
    ['unclosed class', '[a-z', /never closed with "\]"/],
    ['backwards range', '[z-a]', /runs backwards/],
    ['unknown POSIX class', '[[:foo:]]', /class name/],
    ['unknown Unicode class', '\\p{Foo}', /Unicode class/],
    ['invalid escape', '\\q', /escape `\\q`/],
    ['escaped letter in a class', '[\\b]', /escape `\\b`/],
    ['code point too large', '\\x{110000}', /code point/],
    ['trailing backslash', 'abc\\', /lone "\\"/],
    ['empty negated flags', '(?i-)', /flag group/],
    ['comment', '(?#note)', /comment/],
    ['duplicate group name', '(?P<a>x)(?P<a>y)', /used twice/],
  ])('%s: %s', (_, pattern, message) => {
    // GIVEN an expression RE2 refuses, WHEN checked, THEN the problem names the part, and the oracle refuses it too
    expect(re2SyntaxProblem(pattern)?.problem).toMatch(message);
    expect(re2jsAccepts(pattern)).toBe(false);
  });

  test.each([
    ['.NET named group, unknown to RE2 before 2023', '(?<name>x)'],
    ['any-byte escape, refused by Go (istiod)', '\\C'],
    ['lone UTF-16 surrogate, which no UTF-8 manifest can carry', 'a\uD800'],
  ])('stricter than one RE2 on purpose: %s', (_, pattern) => {
    // GIVEN syntax one RE2 implementation accepts and another refuses, WHEN checked, THEN it is refused with a fix
    const problem = re2SyntaxProblem(pattern);
    expect(problem).toBeDefined();
    expect(problem!.fix.length).toBeGreaterThan(10);
  });
});

describe('re2SyntaxProblem where re2js and RE2 differ', () => {
  test('"[[:]" is a class of "[" and ":", as RE2 and Go read it (found by the property test below, seed -1204294108)', () => {
    // GIVEN a class whose members start like a POSIX class name that is never closed
    // WHEN checked / THEN accepted, although re2js refuses it
    expect(re2SyntaxProblem('[[:]')).toBeUndefined();
    expect(re2SyntaxProblem('[a[:]')).toBeUndefined();
    expect(re2jsAccepts('[[:]')).toBe(false);
    expect(re2jsMisreadsColonBracket('[[:]')).toBe(true);
  });
});

describe('re2SyntaxProblem agrees with re2js on generated expressions', () => {
  const tokens = [
    'a', 'b', '.', '*', '+', '?', '??', '(', ')', '(?:', '(?i)', '(?i-s:', '(?-)', '(?P<n>', '(?P<m>', '(?<n>', '(?=', '(?>', '|', '[', ']', '[^',
    '^', '$', '-', '{2}', '{1,3}', '{2,}', '{1001}', '{,2}', '{', '}', '\\', '\\d', '\\W', '\\pL', '\\p{Greek}', '\\p{Foo}', '\\PN', '\\Q', '\\E',
    '[:alpha:]', '[:nope:]', ':', '\\x41', '\\x{41}', '\\x{zz}', '\\1', '\\01', '\\z', '\\Z', '\\b', '\\C', '\\_', '\\.', '0', 'é', '\\é',
  ];
  const expression = fc.array(fc.constantFrom(...tokens), { maxLength: 12 }).map((parts) => parts.join(''));

  test('accepts exactly what re2js accepts (except the deliberate refusals)', () => {
    // GIVEN random expressions over RE2's syntax, WHEN both check them, THEN they agree
    fc.assert(fc.property(expression, (pattern) => {
      const mine = re2SyntaxProblem(pattern) === undefined;
      const oracle = re2jsAccepts(pattern);
      return mine === oracle || (!mine && oracle && deliberatelyStricter(pattern)) || (mine && !oracle && re2jsMisreadsColonBracket(pattern));
    }), { numRuns: 5000 });
  });

  test('random text never throws: it is accepted or refused with a fix', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (pattern) => {
      const problem = re2SyntaxProblem(pattern);
      return problem === undefined || (problem.problem.length > 0 && problem.fix.length > 0);
    }), { numRuns: 3000 });
  });
});
