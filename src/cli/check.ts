import { readFileSync } from 'fs';
import { asksForSarif, CHECK_USAGE, CheckOptions, parseCheckArguments } from './check-arguments';
import { ManifestSources, objectsOfTargets, SourceLocation } from './manifest-sources';
import { checkSarif, failedSarif } from './sarif-log';
import { SkippedFile } from './skipped-file';
import { prerequisitesOfTargets } from './target-expectations';
import { printableLine } from '../core/printable';
import { toolVersion } from '../core/tool-version';
import { PolicyObject } from '../k8s/policy-object';
import { manifestText } from '../parsers/manifest-bytes';
import { PolicyReport } from '../policy/report';

/** What `cdk8s-hardened check` prints and its exit status. */
export interface CheckOutcome {
  /**
   * What to print: the report on standard output, or with status 2 the problem on standard error, unless `problem` is
   * set (then output is a SARIF log for standard output).
   */
  readonly output: string;
  /** 0 no errors, 1 errors (or warnings with --fail-on-warnings), 2 a usage or input problem. */
  readonly status: number;
  /**
   * The usage or input problem, for standard error, when output is the SARIF log of the failed run (`--format sarif`).
   * @default - none
   */
  readonly problem?: string;
}

/**
 * Runs `check` with its arguments (after the word `check`); never exits the process.
 * @param args the arguments after `check`
 * @param readStdin reads standard input to its end (for the target `-`)
 * @param cwd the folder SARIF's relative file URIs start from
 */
export function runCheck(args: string[], readStdin: () => string = () => manifestText(readFileSync(0)), cwd = process.cwd()): CheckOutcome {
  const inputProblem = (message: string, usage: boolean): CheckOutcome => {
    const problem = `cdk8s-hardened check: ${message}`;
    if (asksForSarif(args)) return { output: failedSarif(problem), status: 2, problem };
    return { output: usage ? `${problem}\n\n${CHECK_USAGE}` : problem, status: 2 };
  };
  let options: CheckOptions;
  try {
    options = parseCheckArguments(args);
  } catch (e) {
    return inputProblem((e as Error).message, true);
  }
  if (options.help) return { output: CHECK_USAGE, status: 0 };
  if (options.version) return { output: toolVersion(), status: 0 };
  let sources: ManifestSources;
  let prerequisites: PolicyObject[];
  try {
    sources = objectsOfTargets(options.targets, readStdin);
    prerequisites = prerequisitesOfTargets(options.targets, options.expectations);
  } catch (e) {
    return inputProblem((e as Error).message, false);
  }
  if (sources.objects.length === 0) {
    return inputProblem(`no Kubernetes objects in ${options.targets.join(', ')}${skippedText(sources.skipped)}`, false);
  }
  // Plain YAML: the findings carry the manifest fix only, not the constructs' hints.
  const report = PolicyReport._evaluate(sources.objects.map(({ object }) => object), options.packs, () => undefined, [], prerequisites, false);
  const failed = report.errors.length > 0 || (options.failOnWarnings && report.warnings.length > 0);
  const locations = new Map(sources.objects.map(({ object, location }) => [object.path, location]));
  return { output: formatted(report, options.format, sources.skipped, locations, cwd), status: failed ? 1 : 0 };
}

function formatted(report: PolicyReport, format: string, skipped: SkippedFile[], locations: Map<string, SourceLocation>, cwd: string): string {
  switch (format) {
    case 'json': return JSON.stringify({ ...JSON.parse(report.toJson()), skipped }, undefined, 2);
    case 'sarif': return checkSarif(report.toSarif(), skipped, locations, cwd);
    default: return `${report.toText()}${skippedText(skipped)}`;
  }
}

/** The skipped files, one line each, after a `skipped:` heading (nothing when none was skipped). */
function skippedText(skipped: SkippedFile[]): string {
  return skipped.length ? `\nskipped (no Kubernetes objects):\n${skipped.map(({ file, reason }) => printableLine(`  ${file}: ${reason}`)).join('\n')}` : '';
}
