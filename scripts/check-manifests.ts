// Checks every YAML manifest under the given folders against the default policy packs and prints the
// report; exits 1 on any finding. Usage: ts-node --swc scripts/check-manifests.ts <dir> [...]
import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PolicyPack, PolicyReport } from '../src';
import { policyObject } from '../src/policy/policy-object';

function yamlFilesUnder(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target).flatMap((name) => yamlFilesUnder(path.join(target, name))).filter((f) => /\.ya?ml$/.test(f));
}

const files = process.argv.slice(2).flatMap(yamlFilesUnder);
const objects = files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8'))
  .map((doc) => doc.toJS()).filter((m) => m?.kind)
  .map((m) => policyObject(m, `${path.basename(file)}:${m.kind}/${m.metadata?.name}`)));
const report = PolicyReport._evaluate(objects, PolicyPack.defaults(), () => undefined);
console.log(`${files.length} files`);
console.log(report.toText());
process.exit(files.length > 0 && report.findings.length === 0 ? 0 : 1);
