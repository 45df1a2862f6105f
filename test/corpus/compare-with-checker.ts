// Compares our Pod Security Standards rules with the PSS checks of the independent checker
// (../shared/k8s-check, monokle's pod-security-standards plugin) on the corpus and the checker's samples:
// every (file, control) the checker flags must be flagged by us. Differences the other way, and the
// documented disagreements (RULES.md), are printed. Run by .ci/run: ts-node --swc test/corpus/compare-with-checker.ts
import { execFileSync } from 'child_process';
import * as path from 'path';
import { MONOKLE_PSS_TO_OURS, ruleIdsPerFile, yamlFiles } from '../support/corpus';

// Where the checker and we disagree on purpose (see RULES.md, "Where the checkers disagree").
const KNOWN_DISAGREEMENTS: { [key: string]: string } = {
  'pod-level-non-root.yaml PSS-RUN-AS-NON-ROOT': 'monokle PSS203 reads only the container-level runAsNonRoot; the standard also accepts the pod level',
};

const checker = process.argv[2] ?? path.join(__dirname, '..', '..', '..', 'shared', 'k8s-check', 'run');
const root = path.join(__dirname);
const files = [
  ...yamlFiles(path.join(root, 'insecure')),
  ...yamlFiles(path.join(root, 'hardened')),
  ...yamlFiles(path.join(path.dirname(checker), 'samples')),
];
let output: string;
try {
  output = execFileSync('bash', [checker, '--tools', 'monokle', '--json', ...files], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
} catch (error: any) {
  output = error.stdout; // exit status 1 means "findings", which the insecure corpus has by design
}
const theirs = new Map<string, Set<string>>();
for (const finding of JSON.parse(output).findings) {
  const id = /pod-security-standards\/(PSS\d+)/.exec(finding.rule)?.[1];
  if (!id) continue;
  const file = path.resolve(finding.resource.file);
  theirs.set(file, new Set([...(theirs.get(file) ?? []), MONOKLE_PSS_TO_OURS[id] ?? id]));
}
const ours = ruleIdsPerFile(files);
let missed = 0;
for (const file of files) {
  const name = path.basename(file);
  const mine = ours.get(file) ?? new Set();
  const their = theirs.get(path.resolve(file)) ?? new Set();
  for (const id of their) {
    if (mine.has(id)) continue;
    const known = KNOWN_DISAGREEMENTS[`${name} ${id}`];
    if (known) {console.log(`known   ${name}: checker flags ${id}, we do not: ${known}`);} else { console.log(`MISSED  ${name}: checker flags ${id}, we do not`); missed++; }
  }
  for (const id of mine) {
    if (!their.has(id)) console.log(`extra   ${name}: we flag ${id}, the checker does not`);
  }
}
console.log(`${files.length} files compared: ${missed} controls flagged by the checker and missed by us`);
process.exit(missed ? 1 : 0);
