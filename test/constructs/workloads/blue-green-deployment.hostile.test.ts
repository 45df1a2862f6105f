// Hostile and careless inputs to BlueGreenDeployment and PreviewTest, class by class: JavaScript callers without
// types, crafted header matches, names at their length limits, and preview targets that are not what they claim.
import { BlueGreenDeployment, BlueGreenRouting, BlueGreenSlot, PreviewTest, SecureDeployment } from '../../../src';
import { errorOf, synth, testChart } from '../../support/helpers';

const V1 = 'ghcr.io/acme/shop:1.0.0';
const V2 = 'ghcr.io/acme/shop:2.0.0';

function build(props: any) {
  const { chart } = testChart();
  return { chart, shop: new BlueGreenDeployment(chart, 'shop', { port: 8080, active: BlueGreenSlot.BLUE, blue: { image: V1 }, green: { image: V2 }, ...props }) };
}

describe('BlueGreenDeployment from JavaScript: wrong types get the construct path and the fix', () => {
  test.each<[string, any, RegExp]>([
    ['active missing', { active: undefined }, /active undefined is not a slot; use BlueGreenSlot.BLUE or BlueGreenSlot.GREEN/],
    ['active in upper case', { active: 'BLUE' }, /active "BLUE" is not a slot/],
    ['a version as a string', { green: V2 }, /green is a string, not a version; pass green as an object/],
    ['a version without an image', { green: { replicas: 2 } }, /green.image is missing/],
    ['replicas zero', { blue: { image: V1, replicas: 0 } }, /blue.replicas 0/],
    ['replicas as text', { blue: { image: V1, replicas: '3' } }, /blue.replicas "3" is not a whole number/],
    ['env as a list', { green: { image: V2, env: ['A=1'] } }, /green.env is a list, not a map of EnvValues/],
    ['keepPrevious as text', { keepPrevious: 'no' }, /keepPrevious is a string/],
    ['routing as a plain object', { routing: { previewHeaders: [] } }, /routing is an object, not a BlueGreenRouting/],
    ['an unpinned image in the idle slot', { green: { image: 'ghcr.io/acme/shop:latest' } }, /mutable tag/],
  ])('%s', (_, props, message) => {
    const error = errorOf(() => build(props)).message;
    expect(error).toMatch(/^BlueGreenDeployment shop\/shop|^SecureDeployment shop\/shop\//);
    expect(error).toMatch(message);
  });
});

describe('preview headers are checked as the mesh or the Gateway would read them', () => {
  test.each<[string, BlueGreenRouting, RegExp]>([
    ['a look-around regex (RE2 refuses it)', BlueGreenRouting.istio({ previewHeaders: [{ name: 'x-preview', regex: '(?=a)b' }] }), /RE2/],
    ['a header Istio ignores (every request would be a preview)', BlueGreenRouting.istio({ previewHeaders: [{ name: ':authority', exact: 'x' }] }), /previewHeaders/],
    ['an empty value (Istio reads it as "present")', BlueGreenRouting.istio({ previewHeaders: [{ name: 'x-preview', exact: '' }] }), /previewHeaders/],
    ['a header name that is no HTTP token', BlueGreenRouting.gatewayApi({ gateway: { name: 'public' }, previewHeaders: [{ name: 'x preview', exact: '1' }] }), /previewHeaders/],
    ['a bare wildcard host name', BlueGreenRouting.gatewayApi({ gateway: { name: 'public' }, hostnames: ['*'] }), /bare wildcard/],
  ])('%s is refused', (_, routing, message) => {
    expect(errorOf(() => build({ routing })).message).toMatch(message);
  });

  test('a credential in a preview header value is refused without echoing it', () => {
    const token = 'ghp_' + 'Z9y8'.repeat(9);
    const error = errorOf(() => build({ routing: BlueGreenRouting.istio({ previewHeaders: [{ name: 'authorization', exact: token }] }) })).message;
    expect(error).toMatch(/credential|token/i);
    expect(error).not.toContain(token);
  });
});

describe('names at their limits', () => {
  test('a 63-character name gives distinct, valid slot names', () => {
    const name = 'a'.repeat(63);
    const { chart } = build({ name });
    const deployments = synth(chart).filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name);
    expect(new Set(deployments).size).toBe(2);
    for (const slot of deployments) expect(slot).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });
});

describe('PreviewTest targets', () => {
  test('a target whose workload is not a workload of the library is refused', () => {
    const { chart } = testChart();
    expect(() => new PreviewTest(chart, 'smoke', { target: { host: 'web', port: 8080, workload: { name: 'web' } as any }, image: V2 }))
      .toThrow(/target.workload is an object, not a workload of the app/);
  });

  test('a preview target exists only while the idle slot runs', () => {
    expect(build({ keepPrevious: false }).shop.previewTarget).toBeUndefined();
    const { chart } = testChart();
    const web = new SecureDeployment(chart, 'web', { image: V1, port: 8080 });
    expect(() => new PreviewTest(chart, 'smoke', { target: undefined as any, image: V2 })).toThrow(/target is undefined, not an object/);
    expect(web.port).toBe(8080);
  });
});
