import { Yaml } from 'cdk8s';
import { parseKubernetesYaml } from '../../src/parsers/kube-yaml';
import { stringifyKubernetesYaml } from '../../src/parsers/kube-yaml-writer';
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
