import fc from 'fast-check';
import { RE2JS } from 're2js';
import { ImagePolicy, imagePinnedCel, imageProblem } from '../../src/parsers/image';
import { celEnvironment } from '../support/cel-admission';

/** The two policies the image rules compile to: the tag rule (no options) and the digest rule. */
const POLICIES: Array<[string, ImagePolicy]> = [['tag rule', {}], ['digest rule', { requireDigest: true }]];
const HEX = '0123456789abcdef';
const DIGEST = `sha256:${HEX.repeat(4)}`;
const MOVING_TAGS = ['latest', 'stable', 'main', 'master', 'edge', 'nightly', 'dev'];
const SEED = 1414;

/** The CEL verdict of the policy, evaluated offline with the variable `image` bound. */
function celVerdict(policy: ImagePolicy): (image: string) => boolean {
  const evaluate = celEnvironment({ image: 'string' }).parse(imagePinnedCel('image', policy));
  return (image) => {
    const verdict = evaluate({ image });
    if (typeof verdict !== 'boolean') throw new Error(`CEL returned ${String(verdict)} for ${JSON.stringify(image)}`);
    return verdict;
  };
}

/** The TypeScript verdict: true when imageProblem finds nothing wrong. */
function tsVerdict(policy: ImagePolicy): (image: string) => boolean {
  return (image) => imageProblem(image, policy) === undefined;
}

/** The regular expressions of the CEL, as RE2 / JavaScript sources (the CEL string literals unescaped). */
function celRegexes(policy: ImagePolicy): string[] {
  const cel = imagePinnedCel('image', policy);
  const literals = [...cel.matchAll(/\.matches\('((?:[^'\\]|\\.)*)'\)/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  // every .matches( call has been read (none is missed by the pattern above)
  expect(literals.length).toBe(cel.split('.matches(').length - 1);
  return literals;
}

/** References chosen to probe the edges of the grammar: registries, ports, IPv6, case, moving tags, broken digests. */
const TRICKY: string[] = [
  // plain names, tags and digests
  'nginx', 'nginx:1.25', 'nginx:1.25.3-alpine', 'library/nginx:1', 'acme/web', `nginx@${DIGEST}`, `nginx:1.25@${DIGEST}`,
  'ghcr.io/acme/web:1.4.2', `ghcr.io/acme/web@${DIGEST}`, 'docker.io/library/nginx:1.25', 'a/b/c/d:1', 'x:_', 'x:_a.b-c',
  // moving tags in any case, with and without a digest
  'nginx:latest', 'nginx:LATEST', 'nginx:Latest', 'nginx:Stable', 'nginx:MAIN', 'nginx:master', 'nginx:Edge', 'nginx:nightly',
  'nginx:DEV', 'nginx:latest-1', 'nginx:1-latest', 'nginx:latest_', 'nginx:devel', `nginx:latest@${DIGEST}`, `nginx:LATEST@${DIGEST}`,
  // registries: ports, localhost, upper case, IPv6
  'localhost/x:1', 'localhost:5000/x:1', 'localhost:5000/x', 'LOCALHOST/x:1', 'Localhost:5000/x:1', 'localhost', 'localhost:1',
  'host:5000/x:1', 'host:5000', 'host:5000/x', 'host:/x:1', 'host:50a0/x:1', 'Registry.Example.COM:443/acme/web:1', 'Registry/x:1',
  '[::1]:5000/x:1', '[::1]/x:1', '[::1]:5000', '[abc]/x:1', '[abc]:5000/x:1', '[]:5000/x:1', '[:]/x:1', '[::ffff:1.2.3.4]/x:1',
  '[::1]:/x:1', '[g::1]/x:1', '1.2.3.4:80/x:1', 'a-b.c/x:1', '-a.b/x:1', 'a-.b/x:1', 'a--b.c/x:1', 'a.b./x:1', '.a.b/x:1',
  // path components: dots, underscores, dashes, case, emptiness
  'a..b/x:1', 'a__b.c/x:1', 'a_b.c/x:1', 'a__b/x:1', 'a___b/x:1', 'a-b/x:1', 'a--b/x:1', 'a.b.c:1', 'my.app:1', 'my.app/x:1',
  'my_app:1', 'my__app:1', 'my._app:1', 'my-app-:1', '_app:1', 'App:1', 'acme/Web:1', 'acme/web.:1', 'acme/.web:1', 'acme/w_e.b-1:1',
  'a//b:1', '/a:1', 'a/:1', 'a/b/', '//a', '', ' ', 'a b:1', 'nginx:1 ', ' nginx:1', 'nginx:1\n', 'nginx\n:1',
  // trailing separators, broken tags and digests
  'nginx:', 'nginx@', 'nginx:@', `nginx:@${DIGEST}`, `nginx@${DIGEST}@${DIGEST}`, 'nginx::1', 'nginx:1:2', 'nginx:.1', 'nginx:-1',
  `nginx:${'x'.repeat(128)}`, `nginx:${'x'.repeat(129)}`, `nginx@${DIGEST}0`, `nginx@${DIGEST.slice(0, -1)}`,
  `nginx@${DIGEST.toUpperCase()}`, `nginx@sha256:${HEX.repeat(4).toUpperCase()}`, `nginx@sha512:${HEX.repeat(8)}`, `nginx@${DIGEST}:1`,
  'nginx:1@sha256:abc', `@${DIGEST}`, ':1', 'nginx:1/2', 'nginx:é',
  // digests behind the registries above
  `localhost:5000/x@${DIGEST}`, `[::1]:5000/x:1@${DIGEST}`, `[abc]/x@${DIGEST}`, `host:5000@${DIGEST}`, `my.app@${DIGEST}`,
  `a..b/x@${DIGEST}`, `Registry.Example.COM:443/a/b:latest@${DIGEST}`, `user:pass@host/x@${DIGEST}`, `a__b/c.d_e@${DIGEST}`,
  // credentials and schemes
  'user:pass@host/x:1', 'user:pass@ghcr.io/acme/web:1', 'https://ghcr.io/acme/web:1', 'ghcr.io/acme/web:1?x=1', 'ghcr.io/acme/web#1',
];

/** A moving tag with each letter upper- or lower-cased. */
const movingTag = fc.tuple(fc.constantFrom(...MOVING_TAGS), fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }))
  .map(([tag, upper]) => [...tag].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''));

/** Mostly the given common characters, sometimes the rare ones. */
function chars(common: string[], rare: string[], maxLength: number, minLength = 0): fc.Arbitrary<string> {
  const unit = fc.oneof({ arbitrary: fc.constantFrom(...common), weight: 4 }, { arbitrary: fc.constantFrom(...rare), weight: 1 });
  return fc.string({ unit, minLength, maxLength });
}

const hex = (length: number) => fc.string({ unit: fc.constantFrom(...HEX), minLength: length, maxLength: length });

const registry = fc.oneof(
  fc.constantFrom('docker.io', 'ghcr.io', 'localhost', 'localhost:5000', 'LOCALHOST', 'Registry.Example.com:443', '[::1]:5000', '[::1]',
    '[abc]', '[abc]:5000', '[]', '[:]', 'host:5000', 'host:', 'a..b', 'a__b.c', '-a.b', 'my-registry', '1.2.3.4:80'),
  chars(['a', 'B', '0', '9', 'f'], ['.', ':', '-', '_', '[', ']', ':5000', '.io'], 8, 1),
);
const component = chars(['a', 'z', '0', '7'], ['Q', '.', '_', '__', '-', '--'], 6);
const tag = fc.oneof(movingTag, chars(['1', 'a', '0'], ['.', '-', '_', 'A', 'Z', 'latest'], 6), fc.constantFrom('x'.repeat(128), 'x'.repeat(129)));
const digest = fc.oneof(
  { arbitrary: hex(64).map((h) => `sha256:${h}`), weight: 3 },
  { arbitrary: fc.oneof(hex(63), hex(65), hex(64).map((h) => h.toUpperCase())).map((h) => `sha256:${h}`), weight: 1 },
  { arbitrary: fc.constantFrom('', 'sha256:', `sha512:${HEX.repeat(8)}`, `SHA256:${HEX.repeat(4)}`), weight: 1 },
);

/** References built from pieces, plus a few free strings over the characters of a reference. */
const reference = fc.oneof(
  {
    arbitrary: fc.record({
      registry: fc.option(registry, { nil: undefined }),
      path: fc.array(component, { minLength: 1, maxLength: 3 }),
      tag: fc.option(tag, { nil: undefined }),
      digest: fc.option(digest, { nil: undefined }),
    }).map((r) => `${r.registry !== undefined ? `${r.registry}/` : ''}${r.path.join('/')}${r.tag !== undefined ? `:${r.tag}` : ''}`
      + `${r.digest !== undefined ? `@${r.digest}` : ''}`),
    weight: 9,
  },
  { arbitrary: chars(['a', '0', '/', ':', '.'], ['@', '-', '_', 'A', '[', ']', 'latest', DIGEST], 16), weight: 1 },
);

describe('imagePinnedCel agrees with imageProblem', () => {
  test.each(POLICIES)('on hand-picked tricky references (%s)', (_, policy) => {
    // GIVEN the CEL and the TypeScript verdicts of the policy
    const cel = celVerdict(policy);
    const ts = tsVerdict(policy);
    expect(TRICKY.length).toBeGreaterThanOrEqual(40);
    // WHEN both judge every tricky reference
    const disagreements = TRICKY.filter((image) => cel(image) !== ts(image)).map((image) => ({ image, cel: cel(image), ts: ts(image) }));
    // THEN they agree on all of them, and the table holds references each accepts and each refuses
    expect(disagreements).toEqual([]);
    const accepted = TRICKY.filter(ts).length;
    expect(accepted).toBeGreaterThan(5);
    expect(TRICKY.length - accepted).toBeGreaterThan(5);
  });

  test.each(POLICIES)('on generated references (%s)', (_, policy) => {
    // GIVEN the CEL and the TypeScript verdicts of the policy
    const cel = celVerdict(policy);
    const ts = tsVerdict(policy);
    let accepted = 0;
    // WHEN both judge 3000 generated references / THEN they agree on each
    fc.assert(fc.property(reference, (image) => {
      const verdict = ts(image);
      if (verdict) accepted++;
      const pinned = cel(image);
      // (expect only on a disagreement: calling it 3000 times would cost most of the time budget)
      if (pinned !== verdict) expect({ image, pinned }).toEqual({ image, pinned: verdict });
    }), { numRuns: 3000, seed: SEED });
    // AND the generator reaches both verdicts often enough for the comparison to mean something
    expect(accepted).toBeGreaterThan(150);
    expect(3000 - accepted).toBeGreaterThan(150);
  });
});

describe('the regular expressions of the CEL mean the same in RE2 as in JavaScript', () => {
  test.each(POLICIES)('each compiles in RE2 and matches the same inputs (%s)', (_, policy) => {
    // GIVEN the regex literals of the CEL, compiled by RE2 (re2js) and by JavaScript
    const sources = celRegexes(policy);
    expect(sources.length).toBeGreaterThan(0);
    const compiled = sources.map((source) => ({ source, re2: RE2JS.compile(source), js: new RegExp(source) }));
    const differ = (image: string) => compiled.filter((c) => c.re2.test(image) !== c.js.test(image)).map((c) => c.source);
    // WHEN each matches the tricky and the generated references / THEN RE2 and JavaScript find the same matches
    expect(TRICKY.map((image) => ({ image, differ: differ(image) })).filter((d) => d.differ.length > 0)).toEqual([]);
    fc.assert(fc.property(reference, (image) => {
      const differing = differ(image);
      if (differing.length > 0) expect({ image, differ: differing }).toEqual({ image, differ: [] });
    }), { numRuns: 3000, seed: SEED });
  });
});
