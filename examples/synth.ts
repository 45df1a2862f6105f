// Synthesizes every example (a folder with main.ts) into dist/examples/<name>/ and prints the policy
// report of each: findings, acknowledgements and the compliance score per pack. Each report is also written
// next to the example's YAML (policy-report.txt, and policy-report.sarif for code scanning); the last line
// is the total.
import { readdirSync, existsSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Policy } from '../src';

const root = __dirname;
const outRoot = path.resolve(root, '..', 'dist', 'examples');
const only = process.argv.slice(2);
const examples = readdirSync(root).filter((name) => existsSync(path.join(root, name, 'main.ts')) && (only.length === 0 || only.includes(name)));

const total = { examples: 0, objects: 0, errors: 0, warnings: 0, acknowledged: 0 };
for (const name of examples) {
  const outdir = path.join(outRoot, name);
  rmSync(outdir, { recursive: true, force: true });
  process.env.CDK8S_OUTDIR = outdir;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- each example synthesizes when loaded
  const { app } = require(path.join(root, name, 'main.ts')) as { app: App };
  const report = Policy.report(app);
  writeFileSync(path.join(outdir, 'policy-report.txt'), `${report.toText()}\n`);
  writeFileSync(path.join(outdir, 'policy-report.sarif'), `${report.toSarif()}\n`);
  console.log(`synthesized examples/${name} -> ${path.relative(process.cwd(), outdir)}/ (with policy-report.txt and .sarif)`);
  console.log(report.toText().replace(/^/gm, '  '));
  total.examples++;
  total.objects += report.objectCount;
  total.errors += report.errors.length;
  total.warnings += report.warnings.length;
  total.acknowledged += report.acknowledged.length;
}
console.log(`total: ${total.examples} examples, ${total.objects} objects: ${total.errors} errors, ${total.warnings} warnings, `
  + `${total.acknowledged} acknowledged`);
