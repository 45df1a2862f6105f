import { SelectorIndex } from '../../src/k8s/selector-index';

function indexOf(selectors: Array<[string | undefined, any]>): SelectorIndex<number> {
  const index = new SelectorIndex<number>();
  selectors.forEach(([namespace, selector], i) => index.add(namespace, selector, i));
  return index;
}

describe('SelectorIndex', () => {
  test('finds every selector that selects the labels, in the same namespace only', () => {
    // GIVEN selectors of every shape
    const index = indexOf([
      ['shop', { matchLabels: { app: 'web' } }],
      ['shop', { matchLabels: { app: 'web', tier: 'front' } }],
      ['shop', { matchExpressions: [{ key: 'app', operator: 'In', values: ['api', 'web'] }] }],
      ['shop', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }],
      ['shop', { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }],
      ['shop', {}],
      ['shop', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }],
      ['other', { matchLabels: { app: 'web' } }],
      ['shop', { matchLabels: { app: 'db' } }],
    ]);
    // WHEN a pod's labels are looked up THEN exactly the selecting ones are found, each once
    expect(index.matching('shop', { app: 'web', tier: 'front' }).sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(index.matching('shop', { app: 'db' }).sort()).toEqual([5, 8]);
    expect(index.matching('shop', {}).sort()).toEqual([4, 5, 6]);
    expect(index.matching('other', { app: 'web' })).toEqual([7]);
  });

  test('selectors that share their first labels still find only their own pods', () => {
    // GIVEN many selectors that all begin with the same pair, half of them as matchExpressions
    const selectors: Array<[string, any]> = [];
    for (let i = 0; i < 200; i++) {
      selectors.push(['shop', i % 2
        ? { matchLabels: { 'part-of': 'shop', 'name': `w${i}` } }
        : { matchExpressions: [{ key: 'part-of', operator: 'In', values: ['shop'] }, { key: 'name', operator: 'In', values: [`w${i}`] }] }]);
    }
    const index = indexOf(selectors);
    // WHEN each pod is looked up THEN it is found by its own selector only
    for (let i = 0; i < 200; i++) expect(index.matching('shop', { 'part-of': 'shop', 'name': `w${i}` })).toEqual([i]);
  });

  test('refuses additions after the first lookup (the index is built once)', () => {
    const index = indexOf([['shop', { matchLabels: { app: 'web' } }]]);
    index.matching('shop', { app: 'web' });
    expect(() => index.add('shop', {}, 1)).toThrow(/add every item before the first lookup/);
  });
});
