import { readdirSync, existsSync, mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { Policy } from '../src';

const examplesDir = path.join(__dirname, '..', 'examples');
const examples = readdirSync(examplesDir).filter((name) => existsSync(path.join(examplesDir, name, 'main.ts')));

describe.each(examples)('examples/%s', (name) => {
  // GIVEN the example app, synthesized into a scratch folder
  process.env.CDK8S_OUTDIR = mkdtempSync(path.join(tmpdir(), `example-${name}-`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an example synthesizes when loaded
  const { app } = require(path.join(examplesDir, name, 'main.ts')) as { app: App };

  test('its manifests are what the snapshot says', () => {
    expect(Object.fromEntries(app.charts.map((chart) => [chart.node.id, chart.toJson()]))).toMatchSnapshot();
  });

  test('it has no unacknowledged finding', () => {
    expect(Policy.report(app).findings).toEqual([]);
  });
});

test('every example is here', () => {
  expect(examples.sort()).toEqual(['canary-release', 'database-migration', 'existing-app', 'secure-deployment', 'web-app']);
});
