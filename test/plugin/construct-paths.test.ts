import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ValidationContext } from 'cdk8s-cli/plugins';
import { HardenedValidation, SecureDeployment } from '../../src';

/** A synthesized app with one SecureDeployment (whose objects all share one name), the CLI's metadata of it, and the name. */
function synthesized(): { manifests: string[]; metadata: any; name: string } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'plugin-paths-'));
  const app = new App({ outdir, recordConstructMetadata: true });
  new SecureDeployment(new Chart(app, 'shop', { namespace: 'shop' }), 'web', { image: 'ghcr.io/acme/web:1.4.2', port: 8080 });
  app.synth();
  // As the CLI reads construct-metadata.json (ValidationPlugin.loadConstructMetadata, not exported): a path per object
  // name, the last object's.
  const { resources } = JSON.parse(readFileSync(path.join(outdir, 'construct-metadata.json'), 'utf8'));
  const metadata = Object.fromEntries(Object.entries(resources).map(([name, m]: [string, any]) => [name, { path: m.path }]));
  const [name] = Object.keys(metadata);
  return { manifests: readdirSync(outdir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(outdir, f)), metadata, name };
}

/** Runs the plugin in the cdk8s CLI's real ValidationContext and returns the report as the CLI prints it (JSON). */
async function report(validation: HardenedValidation, manifests: string[], metadata: any) {
  const context = new ValidationContext(manifests, 'cdk8s-hardened', '0.0.0', metadata, false);
  await validation.validate(context);
  return context.report.toJson();
}

describe('the cdk8s CLI report names the object each finding is about', () => {
  test('a finding on a SecureDeployment\'s Deployment is not shown under another object\'s construct path', async () => {
    // GIVEN a SecureDeployment (Deployment, Service, NetworkPolicy… all of one name); the CLI records that name once
    const { manifests, metadata, name } = synthesized();
    expect(metadata).toEqual({ [name]: { path: 'shop/web/NetworkPolicy' } });
    // WHEN its tagged (not digest-pinned) image is judged by the image-digests pack
    const json = await report(new HardenedValidation({ packs: ['image-digests'] }), manifests, metadata);
    // THEN the finding names the Deployment by its identity, and shows no other object's construct path
    const [violation] = json.violations;
    expect(violation.ruleName).toBe('BP-IMAGE-DIGEST (error)');
    expect(violation.violatingConstructs).toEqual([expect.objectContaining({ resourceName: `Deployment/shop/${name}`, constructPath: undefined })]);
  });

  test('acknowledging by exactly what the report shows covers the finding and is not stale', async () => {
    // GIVEN the same app, and an acknowledgement by the identity the report shows
    const { manifests, metadata, name } = synthesized();
    const validation = new HardenedValidation({
      packs: ['image-digests'],
      acknowledgements: [{ ruleId: 'BP-IMAGE-DIGEST', constructPath: `Deployment/shop/${name}`, reason: 'pinned by tag until OPS-12 lands' }],
    });
    // WHEN validated
    const json = await report(validation, manifests, metadata);
    // THEN it is covered, no acknowledgement is stale, and the report passes
    expect(json.violations).toEqual([]);
    expect(json.summary.status).toBe('success');
    expect(json.summary.metadata!.acknowledged).toBe(`BP-IMAGE-DIGEST Deployment/shop/${name}: pinned by tag until OPS-12 lands`);
  });

  test('an object whose name is its own is shown and acknowledged by its construct path', async () => {
    // GIVEN a manifest with one object named "solo", recorded by the CLI at shop/solo/Resource
    const dir = mkdtempSync(path.join(tmpdir(), 'plugin-paths-'));
    const file = path.join(dir, 'shop.k8s.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Pod\nmetadata: {name: solo, namespace: shop}\nspec:\n  containers: [{name: a, image: "nginx:1.27.3"}]\n');
    const metadata = { solo: { path: 'shop/solo/Resource' } };
    // WHEN judged, then acknowledged by the path shown
    const shown = await report(new HardenedValidation({ packs: ['image-digests'] }), [file], metadata);
    const acknowledged = await report(new HardenedValidation({
      packs: ['image-digests'],
      acknowledgements: [{ ruleId: 'BP-IMAGE-DIGEST', constructPath: 'shop/solo', reason: 'pinned by tag until OPS-12 lands' }],
    }), [file], metadata);
    // THEN the CLI shows its construct path, and the acknowledgement by it covers the finding
    expect(shown.violations[0].violatingConstructs).toEqual([expect.objectContaining({ resourceName: 'solo', constructPath: 'shop/solo/Resource' })]);
    expect(acknowledged.summary.status).toBe('success');
  });
});
