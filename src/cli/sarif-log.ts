import * as path from 'path';
import { pathToFileURL } from 'url';
import { SourceLocation, STDIN_NAME } from './manifest-sources';
import { SkippedFile } from './skipped-file';
import { PolicyReport } from '../policy/report';

/** The base that relative artifact URIs are resolved against: the folder `check` ran in (code scanning: the checkout). */
const SRCROOT = '%SRCROOT%';

/**
 * The SARIF log of a `check` run: the report's log, with each result placed in its file (relative to the working
 * folder, under `%SRCROOT%`, as GitHub code scanning expects) at the line its document starts, and the skipped files as
 * notes of a successful invocation. Objects read from standard input have no file to point at: their results keep the
 * object's name only.
 * @param sarif the report as SARIF (`PolicyReport.toSarif`)
 * @param skipped the files that held no Kubernetes object
 * @param locations where each object was read, by its path (the result's logical location)
 * @param cwd the folder relative URIs start from
 */
export function checkSarif(sarif: string, skipped: SkippedFile[], locations: Map<string, SourceLocation>, cwd: string): string {
  const log = JSON.parse(sarif);
  const run = log.runs[0];
  for (const result of run.results) {
    const location = locations.get(result.locations[0].logicalLocations[0].fullyQualifiedName);
    if (location && location.file !== STDIN_NAME) {
      result.locations[0].physicalLocation = { artifactLocation: artifactLocation(location.file, cwd), region: { startLine: location.line } };
    }
  }
  run.originalUriBaseIds = { [SRCROOT]: { uri: folderUri(cwd) } };
  run.invocations = [{
    executionSuccessful: true,
    toolExecutionNotifications: skipped.map(({ file, reason }) => ({
      level: 'note',
      message: { text: `skipped ${file}: ${reason}` },
      ...(file === STDIN_NAME ? {} : { locations: [{ physicalLocation: { artifactLocation: artifactLocation(file, cwd) } }] }),
    })),
  }];
  return JSON.stringify(log, undefined, 2);
}

/**
 * The SARIF log of a run that checked nothing (a usage or input problem): no results, and an invocation that failed with
 * the problem as an error, so that an upload step gets a valid log rather than an empty file.
 * @param problem what went wrong
 */
export function failedSarif(problem: string): string {
  const log = JSON.parse(PolicyReport._evaluate([], [], () => undefined).toSarif());
  log.runs[0].invocations = [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: problem } }] }];
  return JSON.stringify(log, undefined, 2);
}

/** A file as SARIF names it: relative to the working folder with forward slashes, or an absolute file URI outside it. */
function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { uri: pathToFileURL(path.resolve(cwd, file)).href };
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** The folder as a file URI, ending in a slash (SARIF requires it of a base URI). */
function folderUri(folder: string): string {
  const uri = pathToFileURL(folder).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}
