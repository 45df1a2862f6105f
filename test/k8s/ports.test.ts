import { validatePort } from '../../src/k8s/ports';

const where = 'Thing shop/web';

describe('ports', () => {
  test.each([0, 70000, 1.5, -1])('refuses port %p', (bad) => {
    expect(() => validatePort(where, 'port', bad)).toThrow(/is not a valid port; use an integer from 1 to 65535/);
  });

  test('accepts the bounds', () => {
    expect(validatePort(where, 'port', 1)).toBe(1);
    expect(validatePort(where, 'port', 65535)).toBe(65535);
  });
});
