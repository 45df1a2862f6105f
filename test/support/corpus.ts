import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PolicyPack, PolicyReport } from '../../src';
import { policyObject } from '../../src/k8s/policy-object';

/** The rule ids our engine reports, per manifest file, for the given packs. */
export function ruleIdsPerFile(files: string[], packs: PolicyPack[] = [PolicyPack.RESTRICTED]): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const file of files) {
    const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS()).filter((m) => m?.kind)
      .map((m, i) => policyObject(m, `${path.basename(file)}#${i}`));
    result.set(file, new Set(PolicyReport._evaluate(objects, packs, () => undefined).findings.map((f) => f.ruleId)));
  }
  return result;
}

/** YAML files in a folder. */
export function yamlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(dir, f));
}

/** Monokle's Pod Security Standards rule ids (as run by ../shared/k8s-check) and the rule of ours for each. */
export const MONOKLE_PSS_TO_OURS: { [monokle: string]: string } = {
  PSS101: 'PSS-WINDOWS-HOST-PROCESS',
  PSS102: 'PSS-HOST-NAMESPACES',
  PSS103: 'PSS-PRIVILEGED',
  PSS104: 'PSS-CAPABILITIES-BASELINE',
  PSS105: 'PSS-HOST-PATH',
  PSS106: 'PSS-HOST-PORTS',
  PSS107: 'PSS-APPARMOR',
  PSS108: 'PSS-SELINUX',
  PSS109: 'PSS-PROC-MOUNT',
  PSS110: 'PSS-SECCOMP-BASELINE',
  PSS111: 'PSS-SYSCTLS',
  PSS201: 'PSS-VOLUME-TYPES',
  PSS202: 'PSS-PRIVILEGE-ESCALATION',
  PSS203: 'PSS-RUN-AS-NON-ROOT',
  PSS204: 'PSS-RUN-AS-USER',
  PSS205: 'PSS-SECCOMP',
  PSS206: 'PSS-CAPABILITIES',
};
