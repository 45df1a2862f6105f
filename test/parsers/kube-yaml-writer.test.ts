import { Yaml } from 'cdk8s';
import { parseKubernetesYaml } from '../../src/parsers/kube-yaml';
import { GO_YAML_ONLY_NUMBER_CHARACTERS, goYamlReadsOtherwise, stringifyKubernetesYaml } from '../../src/parsers/kube-yaml-writer';
import { STRINGS_TO_WRITE } from '../support/yaml-cases';

/** A ConfigMap that holds the string as a value, as a key, and in a list (an annotation-like nested map). */
function holding(text: string): unknown {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'strings', annotations: { [text]: text } }, data: { value: text, [text]: 'key' }, list: [text] };
}

/** What kubectl reads of a YAML text, or why it refuses it. */
function kubectlReads(text: string): unknown[] | string {
  try {
    return parseKubernetesYaml(text, 'written.yaml');
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

describe('stringifyKubernetesYaml', () => {
  test.each(STRINGS_TO_WRITE.map((text) => [JSON.stringify(text), text]))('writes %s so that kubectl reads it back as that string', (_, text) => {
    // GIVEN a manifest holding the string as a value, a key and a list item
    const manifest = holding(text);
    // WHEN written
    const written = stringifyKubernetesYaml([manifest]);
    // THEN kubectl reads back the same manifest
    expect(kubectlReads(written)).toStrictEqual([manifest]);
  });

  test('number-like strings, generated: every one reads back as itself, in any place of a document', () => {
    // GIVEN strings drawn (with a fixed seed) from the characters of number forms, indicators and spaces
    const alphabet = ['0', '1', '7', '9', 'a', 'f', '.', 'e', 'E', '_', '+', '-', 'x', 'X', 'o', 'O', 'b', 'B', '<', ':', ' ', '#', '~'];
    let seed = 29;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const randomString = () => Array.from({ length: 1 + Math.floor(next() * 7) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const strings = Array.from({ length: 3000 }, randomString);
    // WHEN each is written in a manifest as a value, a key and a list item
    const readBack = (text: string) => JSON.stringify(kubectlReads(stringifyKubernetesYaml([holding(text)]))) === JSON.stringify([holding(text)]);
    const misread = strings.filter((text) => !readBack(text));
    // THEN kubectl reads every one back
    expect(misread).toEqual([]);
  });

  test('every plain scalar up to four characters that go-yaml reads as a number and the YAML 1.1 schema as a string holds one of the characters the quick scan looks for', () => {
    // GIVEN every string of up to four characters drawn from those of numbers (digits, signs, dots, exponents,
    // underscores, base prefixes in both cases, hex digits, inf and nan)
    const alphabet = ['0', '1', '7', '8', '9', 'a', 'f', 'F', '.', 'e', 'E', '_', '+', '-', 'x', 'X', 'o', 'O', 'b', 'B', 'n', 'N', 'i', 'I'];
    const all: string[] = [];
    let strings = [''];
    for (let length = 1; length <= 4; length++) {
      strings = strings.flatMap((prefix) => alphabet.map((c) => prefix + c));
      strings.forEach((text) => all.push(text));
    }
    // WHEN those go-yaml reads otherwise are picked out
    const misread = all.filter((text) => goYamlReadsOtherwise(text));
    // THEN there are such strings, and each holds one of the characters
    expect(misread).toEqual(expect.arrayContaining(['0o17', '0X1F', '0B1', '1e1_', '-_1', '+0O7']));
    expect(misread.filter((text) => !GO_YAML_ONLY_NUMBER_CHARACTERS.test(text))).toEqual([]);
  });

  test('writes what cdk8s writes wherever kubectl reads cdk8s\'s text back unchanged, and differs only where it does not', () => {
    // GIVEN every string of the table, in a manifest each
    const differing: string[] = [];
    for (const text of STRINGS_TO_WRITE) {
      const manifest = holding(text);
      // WHEN written by cdk8s and by the writer
      const ours = stringifyKubernetesYaml([manifest]);
      const cdk8s = Yaml.stringify(manifest);
      // THEN the texts are equal when cdk8s's reads back right
      const cdk8sReadsBack = JSON.stringify(kubectlReads(cdk8s)) === JSON.stringify([manifest]);
      if (cdk8sReadsBack) expect(ours).toBe(cdk8s);
      else differing.push(text);
    }
    // and cdk8s's writer misreads exactly the classes the writer exists for
    expect(differing).toEqual(expect.arrayContaining(['0o17', '0X1F', '0B101', '1e1_0', '.5e1_0', '<<', 'a\u2028b', 'a\u0085b', 'x\u007fy', 'x\u0080y']));
    expect(differing.every((text) => /^[-+.0-9<]|[\x7f-\x9f\u2028\u2029\ufffe\uffff]/.test(text))).toBe(true);
  });

  test('escapes characters go-yaml refuses or folds inside double quotes, with go-yaml\'s own escapes', () => {
    // GIVEN strings with NEL, LS, PS, DEL and a C1 control, one of them with both quote characters
    const manifest = { kind: 'ConfigMap', data: { nel: 'a\u0085b', ls: 'it\'s "\u2028"', ps: 'a\u2029b', del: 'x\u007fy', c1: 'x\u0090y' } };
    // WHEN written
    const written = stringifyKubernetesYaml([manifest]);
    // THEN each is a double-quoted scalar with an escape, and no such character is left raw
    expect(written).toContain('nel: "a\\Nb"');
    expect(written).toContain('ls: "it\'s \\"\\L\\""');
    expect(written).toContain('ps: "a\\Pb"');
    expect(written).toContain('del: "x\\x7Fy"');
    expect(written).toContain('c1: "x\\x90y"');
    expect(written).not.toMatch(/[\x7f-\x9f\u2028\u2029]/);
  });

  test('separates documents and writes an undefined one as cdk8s does', () => {
    // GIVEN two manifests around an undefined document
    const documents = [{ kind: 'A', data: { v: '0o17' } }, undefined, { kind: 'B' }];
    // WHEN written
    const written = stringifyKubernetesYaml(documents);
    // THEN the layout is cdk8s's, the first value quoted
    expect(written).toBe('kind: A\ndata:\n  v: "0o17"\n---\n\n---\nkind: B\n');
    expect(Yaml.stringify(...documents)).toBe('kind: A\ndata:\n  v: 0o17\n---\n\n---\nkind: B\n');
  });

  test.each([['a high surrogate', 'x\ud800y', 'D800'], ['a low surrogate', '\udfff', 'DFFF']])('refuses %s alone, naming the object', (_, text, code) => {
    // GIVEN a manifest holding a lone surrogate, which YAML cannot carry
    const manifest = { kind: 'ConfigMap', metadata: { namespace: 'shop', name: 'broken' }, data: { value: text } };
    // WHEN written THEN the error names the object and the code unit, and the fix
    expect(() => stringifyKubernetesYaml([manifest])).toThrow(`ConfigMap/shop/broken: a string holds a lone surrogate (U+${code})`);
  });
});
