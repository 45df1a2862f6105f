import { execFileSync } from 'child_process';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';

/** A manifest as synthesized. */
export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; [key: string]: any }; [key: string]: any };

/** A fresh app and a chart in namespace `shop`. */
export function testChart(namespace: string = 'shop'): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace });
  return { app, chart };
}

/** The synthesized manifests of a chart. */
export function synth(chart: Chart): Manifest[] {
  return Testing.synth(chart) as Manifest[];
}

/** The one manifest of the given kind (fails when there is not exactly one). */
export function only(manifests: Manifest[], kind: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/** The pod spec of a workload manifest. */
export function podSpec(manifest: Manifest): any {
  return manifest.kind === 'CronJob' ? manifest.spec.jobTemplate.spec.template.spec : manifest.spec.template.spec;
}

/** Strict schema findings (types, enums, required fields, unknown fields) for the manifests. */
export function schemaFindings(manifests: Manifest[]): Array<{ object: string; path: string; message: string }> {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'schema-check.mjs')], {
    input: JSON.stringify(manifests),
    encoding: 'utf8',
  });
  return JSON.parse(output);
}

/** Runs `body` and returns the error it throws (fails when it throws none). */
export function errorOf(body: () => unknown): Error {
  try {
    body();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, got none');
}
