import { generateKeyPairSync } from 'crypto';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AdmissionAction, DefaultDenyNamespace, HealthProbe, ImageSigner, ImageVerification, Policy, SecureDeployment } from '../../../src';
import { crdFindings } from '../../support/crd-schema';
import { pem, PEM_BODY } from '../../support/fake-secrets';
import { errorOf, Manifest, only, synth } from '../../support/helpers';

const DIGEST = `sha256:${'0d1c2f6e3b5a4978'.repeat(4)}`;
const OTHER_DIGEST = `sha256:${'a1b2c3d4e5f60718'.repeat(4)}`;
const GITHUB = {
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'https://github.com/acme/shop/.github/workflows/release.yaml@refs/heads/main',
};

/** An app with the namespace `shop` opted in, a chart in it, and a SecureDeployment with `image`. */
function shop(image: string = `ghcr.io/acme/web@${DIGEST}`, namespaceLabels: { [key: string]: string } = { 'policy.sigstore.dev/include': 'true' }) {
  const app = Testing.app();
  const platform = new Chart(app, 'platform');
  new DefaultDenyNamespace(platform, 'shop', { name: 'shop', labels: namespaceLabels });
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new SecureDeployment(chart, 'web', { name: 'web', image, port: 8080, readiness: HealthProbe.http('/healthz') });
  return { app, chart };
}

function policyOf(chart: Chart): Manifest {
  return only(synth(chart), 'ClusterImagePolicy');
}

/**
 * policy-controller's matching (pkg/apis/glob): the glob becomes a regular expression ("." literal, "**" any
 * characters, "*" any but "/") matched against the fully qualified reference, Docker Hub names expanded.
 */
function policyControllerMatches(glob: string, image: string): boolean {
  if (!/^[a-zA-Z0-9-_:/*.]+$/.test(glob)) throw new Error(`policy-controller refuses the glob ${glob}`);
  const source = glob.replace(/\./g, '\\.').replace(/\*\*/g, '#').replace(/\*/g, '[^/]*').replace(/#/g, '.*');
  const [first, ...rest] = image.split('/');
  const hasRegistry = rest.length > 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let name = hasRegistry ? image : `index.docker.io/${rest.length === 0 ? `library/${image}` : image}`;
  name = name.replace(/^docker\.io\//, 'index.docker.io/').replace(/:[\w][\w.-]*@/, '@');
  return new RegExp(`^${source}$`).test(name);
}

describe('ImageVerification', () => {
  test('keyless: one ClusterImagePolicy (v1alpha1, cluster-wide, enforce) naming every image of the chart by digest', () => {
    // GIVEN a chart with a SecureDeployment, a cdk8s-plus Job with an init container and a raw Pod, all pinned
    const { app, chart } = shop();
    const job = new kplus.Job(chart, 'migrate', { securityContext: { ensureNonRoot: true } });
    job.addInitContainer({ name: 'wait', image: `docker.io/library/busybox:1.36@${OTHER_DIGEST}` });
    job.addContainer({ name: 'migrate', image: `registry.internal:5000/acme/migrate@${DIGEST}` });
    new ApiObject(chart, 'debug', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug' }, spec: { containers: [{ name: 'sh', image: `alpine@${DIGEST}` }] } });
    // WHEN the chart's images must be signed by the release workflow
    new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
    // THEN one cluster-scoped ClusterImagePolicy in the storage version, in enforce mode
    const policy = policyOf(chart);
    expect(policy.apiVersion).toBe('policy.sigstore.dev/v1alpha1');
    expect(policy.metadata.namespace).toBeUndefined();
    expect(policy.metadata.name).toBe('shop-signed'); // the chart's id and the construct's: cluster-scoped, readable
    expect(policy.spec.mode).toBe('enforce');
    expect(policy.spec.authorities).toEqual([{ keyless: { url: 'https://fulcio.sigstore.dev', identities: [GITHUB] } }]);
    // AND every image, init containers and raw objects included, by its fully qualified name and digest
    expect(policy.spec.images).toEqual([
      { glob: `ghcr.io/acme/web*${DIGEST}` },
      { glob: `index.docker.io/library/alpine*${DIGEST}` },
      { glob: `index.docker.io/library/busybox*${OTHER_DIGEST}` },
      { glob: `registry.internal:5000/acme/migrate*${DIGEST}` },
    ]);
    // AND it is valid for the CRD, strictly, and the synth-time checks pass
    expect(crdFindings(policy)).toEqual([]);
    expect(() => app.synth()).not.toThrow();
  });

  test.each([
    ['ghcr.io/acme/web', `ghcr.io/acme/web@${DIGEST}`],
    ['a Docker Hub official image', `nginx@${DIGEST}`],
    ['a Docker Hub user image', `acme/web@${DIGEST}`],
    ['docker.io spelled out', `docker.io/acme/web@${DIGEST}`],
    ['a tag and a digest', `ghcr.io/acme/web:1.4.2@${DIGEST}`],
    ['a registry with a port', `registry.internal:5000/web@${DIGEST}`],
    ['localhost', `localhost/web@${DIGEST}`],
  ])('the glob matches the image as policy-controller reads it, and no other digest: %s', (_, image) => {
    const { chart } = shop(image);
    new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
    const [{ glob }] = policyOf(chart).spec.images;
    expect(policyControllerMatches(glob, image)).toBe(true);
    expect(policyControllerMatches(glob, image.replace(DIGEST, OTHER_DIGEST))).toBe(false);
  });

  test('a public key: the PEM text and sha256', () => {
    const { chart } = shop();
    const publicKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    new ImageVerification(chart, 'signed', { signedBy: ImageSigner.publicKey(publicKey) });
    const policy = policyOf(chart);
    expect(policy.spec.authorities).toEqual([{ key: { data: publicKey, hashAlgorithm: 'sha256' } }]);
    expect(crdFindings(policy)).toEqual([]);
  });

  test('WARN rolls out in warn mode; the packs find nothing in the output', () => {
    const { app, chart } = shop();
    new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB), action: AdmissionAction.WARN, name: 'shop-signed' });
    expect(policyOf(chart).spec.mode).toBe('warn');
    expect(policyOf(chart).metadata.name).toBe('shop-signed');
    expect(Policy.report(app).findings).toEqual([]);
  });

  describe('what cannot be verified fails synth, naming the object and the fix', () => {
    test('an image pinned by tag only (also when synth skips validation)', () => {
      // GIVEN a workload whose image has a tag and no digest
      const { app, chart } = shop('ghcr.io/acme/web:1.4.2');
      new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
      // THEN app.synth() fails with the object, the field and the fix
      const error = errorOf(() => app.synth());
      expect(error.message).toMatch(/ImageVerification shop\/signed: Deployment shop\/web\/Deployment \/spec\/template\/spec\/containers\/0\/image: image "ghcr.io\/acme\/web:1.4.2" is not pinned by digest/);
      expect(error.message).toMatch(/@sha256:/);
      // AND a synth without validation does not emit a policy for it either
      expect(errorOf(() => synth(chart)).message).toMatch(/is not pinned by digest/);
    });

    test('a namespace that is not opted in; optedInNamespaces declares one the platform labels', () => {
      const notLabelled = shop(`ghcr.io/acme/web@${DIGEST}`, {});
      new ImageVerification(notLabelled.chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
      expect(errorOf(() => notLabelled.app.synth()).message).toMatch(
        /namespace shop \(of Deployment shop\/web\/Deployment\) is not opted in: policy-controller would verify none of its images; add labels: \{ "policy.sigstore.dev\/include": "true" \}/);

      const declared = shop(`ghcr.io/acme/web@${DIGEST}`, {});
      new ImageVerification(declared.chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB), optedInNamespaces: ['shop'] });
      expect(() => declared.app.synth()).not.toThrow();
    });

    test('a workload without a namespace, and a scope without workloads', () => {
      const app = Testing.app();
      const chart = new Chart(app, 'nowhere');
      new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: `ghcr.io/acme/web@${DIGEST}` }] } });
      new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
      expect(errorOf(() => app.synth()).message).toMatch(/Pod nowhere\/pod has no namespace/);

      const empty = Testing.app();
      const emptyChart = new Chart(empty, 'empty', { namespace: 'shop' });
      new ImageVerification(emptyChart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
      expect(errorOf(() => empty.synth()).message).toMatch(/empty holds no workload, so there is no image to verify; point workloadsIn at/);
    });

    test('a workload nested under an ImageVerification is verified too', () => {
      const { app, chart } = shop();
      const verification = new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB) });
      new ApiObject(verification, 'sneaky', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sneaky' }, spec: { containers: [{ name: 'c', image: 'evil:latest' }] } });
      expect(errorOf(() => app.synth()).message).toMatch(/Pod shop\/signed\/sneaky \/spec\/containers\/0\/image: image "evil:latest"/);
    });

    test('workloadsIn narrows the scope to one construct', () => {
      const { app, chart } = shop();
      const other = new Chart(app, 'other', { namespace: 'other' });
      new SecureDeployment(other, 'tagged', { name: 'tagged', image: 'ghcr.io/acme/other:1.0.0', port: 8080 });
      new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless(GITHUB), workloadsIn: chart.node.findChild('web') });
      expect(policyOf(chart).spec.images).toEqual([{ glob: `ghcr.io/acme/web*${DIGEST}` }]);
    });
  });

  describe('hostile props are refused at construction with the path and the fix', () => {
    test.each([
      ['no signer', { signedBy: undefined }, /ImageVerification shop\/signed: signedBy .*ImageSigner/],
      ['a plain object as signer', { signedBy: { keyless: {} } }, /signedBy/],
      ['AUDIT', { signedBy: ImageSigner.keyless(GITHUB), action: AdmissionAction.AUDIT }, /action "Audit" is not one of Deny, Warn; .*no audit-only mode/],
      ['a fake action', { signedBy: ImageSigner.keyless(GITHUB), action: { name: 'Allow', _validationActions: () => [] } }, /action "Allow" is not one of/],
      ['an invalid namespace', { signedBy: ImageSigner.keyless(GITHUB), optedInNamespaces: ['Shop_1'] }, /optedInNamespaces\[0\]/],
      ['a string for the namespaces', { signedBy: ImageSigner.keyless(GITHUB), optedInNamespaces: 'shop' }, /optedInNamespaces/],
      ['an invalid name', { signedBy: ImageSigner.keyless(GITHUB), name: 'Signed Images' }, /name/],
      ['workloadsIn not a construct', { signedBy: ImageSigner.keyless(GITHUB), workloadsIn: 'shop' }, /workloadsIn .*construct/],
      ['an http issuer', { signedBy: ImageSigner.keyless({ ...GITHUB, issuer: 'http://token.actions.githubusercontent.com' }) }, /issuer of ImageSigner.keyless "http:\/\/token/],
      ['a wildcard subject', { signedBy: ImageSigner.keyless({ ...GITHUB, subject: 'https://github.com/acme/*' }) }, /subject .* wildcard, and is matched exactly/],
      ['an empty subject', { signedBy: ImageSigner.keyless({ ...GITHUB, subject: ' ' }) }, /subject .* is empty/],
      ['keyless options as a string', { signedBy: ImageSigner.keyless('github' as any) }, /the options of ImageSigner.keyless is a string, not an object/],
      ['a key that is not PEM', { signedBy: ImageSigner.publicKey('ssh-ed25519 AAAAC3Nza') }, /is not a PEM public key/],
      ['a PEM public key with a broken body', { signedBy: ImageSigner.publicKey(pem('PUBLIC KEY')) }, /is not a PEM public key/],
    ])('%s', (_, props, message) => {
      const { chart } = shop();
      expect(errorOf(() => new ImageVerification(chart, 'signed', props as any)).message).toMatch(message);
    });

    test('a private key is refused without echoing it', () => {
      const { chart } = shop();
      const privateKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      for (const key of [privateKey, pem('EC PRIVATE KEY')]) {
        const error = errorOf(() => new ImageVerification(chart, `signed-${key.length}`, { signedBy: ImageSigner.publicKey(key) }));
        expect(error.message).toMatch(/was given a private key, which must never be in a manifest/);
        expect(error.message).not.toContain(key.split('\n')[1]);
        expect(error.message).not.toContain(PEM_BODY);
      }
    });

    test('an issuer that does not parse, with credentials, is refused without echoing them', () => {
      const { chart } = shop();
      const error = errorOf(() => new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless({ ...GITHUB, issuer: 'https://user:s3cr3t@host:99999' }) }));
      expect(error.message).toMatch(/issuer of ImageSigner.keyless \(a URL with credentials\)/);
      expect(error.message).not.toContain('s3cr3t');
    });

    test('two public keys in one text are refused (policy-controller reads the first); CRLF line ends are read', () => {
      const { chart } = shop();
      const key = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(errorOf(() => new ImageVerification(chart, 'two', { signedBy: ImageSigner.publicKey(key() + key()) })).message).toMatch(/is not a PEM public key/);
      const crlf = key();
      new ImageVerification(chart, 'crlf', { signedBy: ImageSigner.publicKey(crlf.replace(/\n/g, '\r\n')), name: 'crlf' });
      expect(synth(chart).find((m) => m.metadata.name === 'crlf')!.spec.authorities[0].key.data).toBe(crlf);
    });

    test('a Fulcio URL with credentials is refused without echoing them', () => {
      const { chart } = shop();
      const error = errorOf(() => new ImageVerification(chart, 'signed', { signedBy: ImageSigner.keyless({ ...GITHUB, fulcioUrl: 'https://robot:s3cr3t-T0ken@fulcio.internal' }) }));
      expect(error.message).toMatch(/fulcioUrl of ImageSigner.keyless \(a URL with credentials\) is not an https URL without credentials/);
      expect(error.message).not.toContain('s3cr3t');
    });
  });
});
