import { readGoYamlDocument } from '../../src/parsers/go-yaml-v2-document';
import { fastGoYamlReader } from '../../src/parsers/go-yaml-v2-fast';
import { HOSTILE_DOCUMENTS } from '../support/yaml-cases';

function exact(text: string): unknown {
  try {
    return readGoYamlDocument(text);
  } catch (e) {
    return `refused: ${(e as Error).message}`;
  }
}

describe('hostile documents: the fast path never decides otherwise than the exact reader', () => {
  const read = fastGoYamlReader();
  test.each(HOSTILE_DOCUMENTS.map((c) => [JSON.stringify(c), c]))('%s', (_name, text) => {
    const fast = read(text);
    if (fast === undefined) return;
    expect(fast.value).toEqual(exact(text));
    expect(JSON.stringify(fast.value)).toEqual(JSON.stringify(exact(text)));
  });
});
