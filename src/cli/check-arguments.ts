import { STDIN } from './manifest-sources';
import { packsByName } from '../policy/pack-names';

/** The command line of `check`, in one line. */
export const CHECK_SYNOPSIS = 'cdk8s-hardened check <file|dir|->... [--packs a,b] [--format text|json|sarif] [--pss-version v1.33] '
  + '[--fail-on-warnings] [--expectations FILE] [--version]';

/** `check --help`. */
export const CHECK_USAGE = `usage: ${CHECK_SYNOPSIS}

Checks Kubernetes YAML and JSON (Helm output, other tools' manifests, cdk8s dist/) against the policy packs, read as
kubectl apply -f reads them: YAML 1.1 as go-yaml v2 decodes it, every List expanded into its items, folders' .yaml,
.yml and .json files (recursively), and - for standard input (helm template ... | cdk8s-hardened check -). Files that
hold no Kubernetes object (a chart's values.yaml, Chart.yaml, kustomization.yaml, CI workflows) are skipped and listed.
  --packs             pack names, comma-separated (default: pss-restricted,nsa-cisa,cis,cluster-fit,best-practices;
                      also pss-baseline, image-digests)
  --format            text (default), json, or sarif (SARIF 2.1.0, for code scanning; a log even on an input problem)
  --pss-version       the Pod Security Standards version your namespaces enforce (default: latest)
  --fail-on-warnings  exit 1 on warnings too
  --expectations      what the app expects from the cluster (default: the cdk8s-hardened.expectations file that a
                      HardenedApp synth writes into a folder given as a target)
  --version           print the version of cdk8s-hardened
Exit status: 0 no errors, 1 errors (or warnings with --fail-on-warnings), 2 a usage or input problem.`;

/** The formats of `--format`. */
export const FORMATS = ['text', 'json', 'sarif'];

/** What the command line of `check` asks for. */
export interface CheckOptions {
  /** Files, folders and `-`. */
  readonly targets: string[];
  /** The packs to check against. */
  readonly packs: ReturnType<typeof packsByName>;
  /** text, json or sarif. */
  readonly format: string;
  /** Whether warnings fail too. */
  readonly failOnWarnings: boolean;
  /** `--help`: print the usage. */
  readonly help: boolean;
  /** `--version`: print the tool's version. */
  readonly version: boolean;
  /**
   * `--expectations`: the expectations file of a HardenedApp synth.
   * @default - the `cdk8s-hardened.expectations` file of a folder target, if any
   */
  readonly expectations?: string;
}

/** What looks like a Pod Security Standards version (`v1.33`, `1.33`): given to `--version`, it was meant for `--pss-version`. */
const PSS_VERSION = /^v?1\.\d+$/;

/**
 * Reads the arguments after `check`.
 * @throws Error saying what is wrong with them
 */
export function parseCheckArguments(args: string[]): CheckOptions {
  const targets: string[] = [];
  let packNames: string[] | undefined;
  let pssVersion: string | undefined;
  let format = 'text';
  let failOnWarnings = false;
  let help = false;
  let version = false;
  let expectations: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].startsWith('--') ? args[i].split(/=(.*)/s, 2) : [args[i], undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--packs': packNames = value().split(',').map((p) => p.trim()).filter(Boolean); break;
      case '--pss-version': pssVersion = value(); break;
      case '--format': format = value(); break;
      case '--fail-on-warnings': failOnWarnings = true; break;
      case '--expectations': expectations = value(); break;
      case '--help': case '-h': help = true; break;
      case '--version':
        if (PSS_VERSION.test(inline ?? args[i + 1] ?? '')) {
          throw new Error(`--version prints the version of cdk8s-hardened and takes no value; for the Pod Security Standards version use --pss-version ${inline ?? args[i + 1]}`);
        }
        version = true;
        break;
      default:
        if (flag.startsWith('-') && flag !== STDIN) throw new Error(`unknown option ${flag}`);
        targets.push(flag);
    }
  }
  if (!FORMATS.includes(format)) throw new Error(`--format is ${JSON.stringify(format)}; use ${FORMATS.join(', ')}`);
  if (targets.length === 0 && !help && !version) throw new Error('name the files or folders to check');
  const packs = packsByName('cdk8s-hardened check', '--packs', packNames, pssVersion);
  return { targets, packs, format, failOnWarnings, help, version, expectations };
}

/** Whether the arguments ask for SARIF, read leniently: a SARIF log is due even when the rest of them are wrong. */
export function asksForSarif(args: string[]): boolean {
  return args.some((arg, i) => arg === '--format=sarif' || (arg === '--format' && args[i + 1] === 'sarif'));
}
