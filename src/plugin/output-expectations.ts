import { existsSync } from 'fs';
import * as path from 'path';
import { EXPECTATIONS_FILE, Expectations, readExpectations } from '../policy/expectations';

/** The expectations a synth wrote beside the manifests the cdk8s CLI hands the plugin, and the file they came from. */
export interface OutputExpectations {
  readonly file: string;
  readonly expectations: Expectations;
}

/**
 * The expectations file of the output folder, when the app wrote one (`HardenedApp.synth`). The CLI hands the plugin
 * the manifest files, not the folder: it is the folder that holds them all, or, when they all sit in one chart's
 * folder (`FOLDER_PER_CHART_FILE_PER_RESOURCE`), the folder above it if the CLI's `construct-metadata.json` is there.
 * The CLI empties the output folder before each synth, so a file found there is this synth's.
 * @throws Error naming the file when it is not an expectations file this version reads
 * @internal
 */
export function outputExpectations(manifests: string[]): OutputExpectations | undefined {
  if (manifests.length === 0) return undefined;
  const common = manifests.map((m) => path.dirname(path.resolve(m))).reduce(commonFolder);
  const candidates = [common, ...existsSync(path.join(path.dirname(common), 'construct-metadata.json')) ? [path.dirname(common)] : []];
  const file = candidates.map((folder) => path.join(folder, EXPECTATIONS_FILE)).find((f) => existsSync(f));
  return file === undefined ? undefined : { file, expectations: readExpectations(file) };
}

function commonFolder(a: string, b: string): string {
  while (a !== b && !b.startsWith(a.endsWith(path.sep) ? a : `${a}${path.sep}`)) a = path.dirname(a);
  return a;
}
