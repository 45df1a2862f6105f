import { validateImage } from '../../src/parsers/image';

const where = 'Thing shop/web';

describe('image references', () => {
  test.each([
    ['ghcr.io/acme/web:1.4.2', { registry: 'ghcr.io', repository: 'acme/web', tag: '1.4.2' }],
    ['nginx:1.27.3', { repository: 'nginx', tag: '1.27.3' }],
    ['localhost:5000/web:v1', { registry: 'localhost:5000', repository: 'web', tag: 'v1' }],
    [`quay.io/acme/web@sha256:${'a'.repeat(64)}`, { registry: 'quay.io', repository: 'acme/web', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %p', (image, expected) => {
    expect(validateImage(where, image)).toEqual(expect.objectContaining(expected));
  });

  test('refuses an untagged image, naming the fix', () => {
    expect(() => validateImage(where, 'nginx')).toThrow('Thing shop/web: image "nginx" has no tag, which means "latest" and can change under you; pin a version or digest (e.g. nginx:1.2.3 or nginx@sha256:…)');
  });

  test('refuses latest', () => {
    expect(() => validateImage(where, 'nginx:latest')).toThrow(/image "nginx:latest" uses the mutable tag "latest"; pin a version or digest/);
  });

  test.each(['Nginx:1.0', 'nginx:', 'nginx@sha256:abc', 'ghcr.io//web:1'])('refuses malformed %p', (bad) => {
    expect(() => validateImage(where, bad)).toThrow(/is not a valid image reference/);
  });

  test('requires a digest when asked', () => {
    expect(() => validateImage(where, 'nginx:1.27.3', { requireDigest: true })).toThrow(/not pinned by digest.*nginx:1.27.3@sha256:…/);
  });
});
