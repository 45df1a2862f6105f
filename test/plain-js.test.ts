// eslint-disable-next-line @typescript-eslint/no-require-imports -- the callers are plain JavaScript on purpose
const callers: Array<[string, string, (chart: unknown) => unknown]> & { chart: () => unknown } = require('./plain-js/callers.js');

describe('plain JavaScript callers get the construct-path-value-fix error', () => {
  test.each(callers.map(([kind, what, build]) => ({ kind, what, build })))('$kind: $what', ({ kind, build }) => {
    // GIVEN props of the wrong type or missing, as JavaScript or cdk8s.yaml pass them
    let error: any;
    try {
      build(callers.chart());
    } catch (e) {
      error = e;
    }
    // THEN construction fails with the library's error, naming the construct path, never a TypeError from inside
    expect(error).toBeDefined();
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(new RegExp(`^${kind} shop/\\S+: .+; .+`));
  });
});
