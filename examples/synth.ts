// Synthesizes every example (a folder with main.ts) into dist/examples/<name>/ and prints the policy
// report of each: findings, acknowledgements and the compliance score per pack.
import { readdirSync, existsSync, rmSync } from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Policy } from '../src';

const root = __dirname;
const outRoot = path.resolve(root, '..', 'dist', 'examples');
const only = process.argv.slice(2);
const examples = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'main.ts')) && (only.length === 0 || only.includes(name)));

for (const name of examples) {
  const outdir = path.join(outRoot, name);
  rmSync(outdir, { recursive: true, force: true });
  process.env.CDK8S_OUTDIR = outdir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each example synthesizes when loaded
  const { app } = require(path.join(root, name, 'main.ts')) as { app: App };
  console.log(`synthesized examples/${name} -> ${path.relative(process.cwd(), outdir)}/`);
  console.log(Policy.report(app).toText().replace(/^/gm, '  '));
}
