import { quantityValue, validateQuantity } from '../../src/k8s/quantity';

const where = 'Thing shop/web';

describe('quantities', () => {
  test.each(['100m', '0.5', '128Mi', '1G', '1e3'])('accepts quantity %p', (q) => {
    expect(validateQuantity(where, 'cpu', q)).toBe(q);
  });

  test.each(['100 m', 'lots', '1MB', ''])('refuses quantity %p', (q) => {
    expect(() => validateQuantity(where, 'cpu', q)).toThrow(/is not a Kubernetes quantity/);
  });

  test('computes quantity values', () => {
    expect(quantityValue('100m')).toBeCloseTo(0.1);
    expect(quantityValue('1Ki')).toBe(1024);
    expect(quantityValue('2G')).toBe(2e9);
  });
});
