// Synthesizes every example (a folder with main.ts) into dist/examples/<name>/ and prints the policy
// report of each: findings, acknowledgements and the compliance score per pack. Each report is also written
// next to the example's YAML (policy-report.txt, and policy-report.sarif for code scanning); the last line
// is the total. Next to them goes who can talk to whom under the example's NetworkPolicies, as
// `cdk8s-hardened reach` computes it from the YAML just written: reachability.txt (the connection list),
// reachability.mmd (a Mermaid flowchart) and reachability.md (the flowchart in Markdown, which GitHub draws).
import { readdirSync, existsSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Policy } from '../src';
import { objectsOfTargets } from '../src/cli/manifest-sources';
import { connlistText } from '../src/policy/reachability/connlist-text';
import { evaluateReachability } from '../src/policy/reachability/reachability';
import { reachabilityMermaid } from '../src/policy/reachability/reachability-mermaid';

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
  const reachability = writeReachability(name, outdir);
  console.log(`synthesized examples/${name} -> ${path.relative(process.cwd(), outdir)}/ (with policy-report.txt and .sarif, reachability.txt, .mmd and .md)`);
  console.log(report.toText().replace(/^/gm, '  '));
  for (const warning of reachability.warnings) console.log(`  reachability warning: ${warning}`);
  total.examples++;
  total.objects += report.objectCount;
  total.errors += report.errors.length;
  total.warnings += report.warnings.length;
  total.acknowledged += report.acknowledged.length;
}
console.log(`total: ${total.examples} examples, ${total.objects} objects: ${total.errors} errors, ${total.warnings} warnings, `
  + `${total.acknowledged} acknowledged`);

/**
 * Writes who can talk to whom under the NetworkPolicies of the YAML in outdir (read as `reach` reads it: the report
 * files beside it are not manifests) as reachability.txt, reachability.mmd and reachability.md.
 */
function writeReachability(name: string, outdir: string): { warnings: readonly string[] } {
  const reachability = evaluateReachability(objectsOfTargets([outdir], () => '').objects.map(({ object }) => object.manifest));
  const text = connlistText(reachability);
  const mermaid = reachabilityMermaid(reachability);
  writeFileSync(path.join(outdir, 'reachability.txt'), text);
  writeFileSync(path.join(outdir, 'reachability.mmd'), mermaid);
  writeFileSync(path.join(outdir, 'reachability.md'), `${[
    `# Who can talk to whom: examples/${name}`,
    '',
    'The connections the NetworkPolicies allow (`cdk8s-hardened reach --format mermaid`); a workload no policy isolates in a',
    'direction has one edge `all` to or from "any peer".',
    '',
    fenced('mermaid', mermaid),
    '',
    'As a list (`cdk8s-hardened reach`, netpol-analyzer\'s format):',
    '',
    fenced('text', text === '' ? '(no connection is allowed)\n' : text),
  ].join('\n')}\n`);
  return reachability;
}

/** A Markdown code block whose fence is longer than any run of backticks in the text. */
function fenced(language: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}${fence}`;
}
