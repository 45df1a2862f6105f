import { validateDnsLabel, validateDnsSubdomain, validateLabels } from '../../src/core/names';

const where = 'Thing shop/web';

describe('DNS-1123 names', () => {
  test('accepts labels and subdomains', () => {
    expect(validateDnsLabel(where, 'name', 'web-1')).toBe('web-1');
    expect(validateDnsSubdomain(where, 'host', 'api.example.com')).toBe('api.example.com');
  });

  test.each(['Web', 'web_1', '-web', 'web-', 'a'.repeat(64), ''])('refuses label %p with the path and a suggestion', (bad) => {
    expect(() => validateDnsLabel(where, 'name', bad)).toThrow(/^Thing shop\/web: name .* is not a valid DNS-1123 label.*use a name like/);
  });

  test('suggests a lower-case name', () => {
    expect(() => validateDnsLabel(where, 'name', 'My_App')).toThrow('use a name like "my-app"');
  });

  test('refuses a subdomain with an over-long part', () => {
    expect(() => validateDnsSubdomain(where, 'host', `${'a'.repeat(64)}.example.com`)).toThrow(/not a valid DNS-1123 subdomain/);
  });

  test('checks label keys and values', () => {
    expect(validateLabels(where, { 'example.com/team': 'a.b_c-d' })).toEqual({ 'example.com/team': 'a.b_c-d' });
    expect(() => validateLabels(where, { team: 'has space' })).toThrow(/label "team" has the invalid value "has space"/);
    expect(() => validateLabels(where, { 'Bad_Prefix/x': 'v' })).toThrow(/prefix of label/);
  });
});
