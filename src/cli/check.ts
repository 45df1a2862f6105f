import { readFileSync } from 'fs';
import * as path from 'path';
import { objectsOfTargets, SourcedObject, STDIN, STDIN_NAME } from './manifest-sources';
import { packsByName } from '../policy/pack-names';
import { PolicyReport } from '../policy/report';

/** What `cdk8s-hardened check` prints and its exit status. */
export interface CheckOutcome {
  readonly output: string;
  readonly status: number;
}

const USAGE = `usage: cdk8s-hardened check <file|dir|->... [--packs a,b] [--format text|json|sarif] [--version v1.33] [--fail-on-warnings]

Checks Kubernetes YAML and JSON (Helm output, other tools' manifests, cdk8s dist/) against the policy packs, read as
kubectl apply -f reads them: YAML 1.1 as go-yaml v2 decodes it, every List expanded into its items, folders' .yaml,
.yml and .json files (recursively), and - for standard input (helm template ... | cdk8s-hardened check -).
  --packs             pack names, comma-separated (default: pss-restricted,nsa-cisa,cis,cluster-fit,best-practices;
                      also pss-baseline, image-digests)
  --format            text (default), json, or sarif (SARIF 2.1.0, for code scanning)
  --version           the Pod Security Standards version your namespaces enforce (default: latest)
  --fail-on-warnings  exit 1 on warnings too
Exit status: 0 no errors, 1 errors (or warnings with --fail-on-warnings), 2 a usage or input problem.`;

const FORMATS = ['text', 'json', 'sarif'];

/**
 * Runs `check` with its arguments (after the word `check`); never exits the process.
 * @param args the arguments after `check`
 * @param readStdin reads standard input to its end (for the target `-`)
 */
export function runCheck(args: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): CheckOutcome {
  let options: CheckOptions;
  try {
    options = parseArguments(args);
  } catch (e) {
    return { output: `cdk8s-hardened check: ${(e as Error).message}\n\n${USAGE}`, status: 2 };
  }
  if (options.help) return { output: USAGE, status: 0 };
  let sourced: SourcedObject[];
  try {
    sourced = objectsOfTargets(options.targets, readStdin);
  } catch (e) {
    return { output: `cdk8s-hardened check: ${(e as Error).message}`, status: 2 };
  }
  const objects = sourced.map(({ object }) => object);
  if (objects.length === 0) return { output: `cdk8s-hardened check: no Kubernetes objects in ${options.targets.join(', ')}`, status: 2 };
  const report = PolicyReport._evaluate(objects, options.packs, () => undefined);
  const failed = report.errors.length > 0 || (options.failOnWarnings && report.warnings.length > 0);
  const output = options.format === 'json' ? report.toJson() : options.format === 'sarif' ? withFiles(report.toSarif(), sourced) : report.toText();
  return { output, status: failed ? 1 : 0 };
}

interface CheckOptions {
  readonly targets: string[];
  readonly packs: ReturnType<typeof packsByName>;
  readonly format: string;
  readonly failOnWarnings: boolean;
  readonly help: boolean;
}

function parseArguments(args: string[]): CheckOptions {
  const targets: string[] = [];
  let packNames: string[] | undefined;
  let version: string | undefined;
  let format = 'text';
  let failOnWarnings = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--packs': packNames = value().split(',').map((p) => p.trim()).filter(Boolean); break;
      case '--version': version = value(); break;
      case '--format': format = value(); break;
      case '--fail-on-warnings': failOnWarnings = true; break;
      case '--help': case '-h': help = true; break;
      default:
        if (flag.startsWith('-') && flag !== STDIN) throw new Error(`unknown option ${flag}`);
        targets.push(flag);
    }
  }
  if (!FORMATS.includes(format)) throw new Error(`--format is ${JSON.stringify(format)}; use ${FORMATS.join(', ')}`);
  if (targets.length === 0 && !help) throw new Error('name the files or folders to check');
  const packs = packsByName('cdk8s-hardened check', '--packs', packNames, version);
  return { targets, packs, format, failOnWarnings, help };
}

/** SARIF results point at their file and line too (code scanning shows them there), not only at the object. */
function withFiles(sarif: string, sourced: SourcedObject[]): string {
  const locations = new Map(sourced.map(({ object, location }) => [object.path, location]));
  const log = JSON.parse(sarif);
  for (const result of log.runs[0].results) {
    const { file, line } = locations.get(result.locations[0].logicalLocations[0].fullyQualifiedName)!;
    const uri = (file === STDIN_NAME ? file : path.relative('.', file)).split(path.sep).join('/');
    result.locations[0].physicalLocation = { artifactLocation: { uri }, region: { startLine: line } };
  }
  return JSON.stringify(log, undefined, 2);
}

