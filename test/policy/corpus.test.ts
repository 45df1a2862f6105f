import * as path from 'path';
import { ruleIdsPerFile, yamlFiles } from '../support/corpus';

const corpus = path.join(__dirname, '..', 'corpus');

describe('corpus of insecure and hardened manifests', () => {
  test.each(yamlFiles(path.join(corpus, 'insecure')))('%s is flagged by the rule it is named after', (file) => {
    // GIVEN a manifest named after the control it violates, WHEN checked against restricted
    const ids = ruleIdsPerFile([file]).get(file)!;
    // THEN that rule fires
    expect([...ids]).toContain(path.basename(file, '.yaml').toUpperCase());
  });

  test.each(yamlFiles(path.join(corpus, 'hardened')))('%s has no restricted finding', (file) => {
    expect([...ruleIdsPerFile([file]).get(file)!]).toEqual([]);
  });
});
