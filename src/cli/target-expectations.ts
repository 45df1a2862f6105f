import { existsSync, statSync } from 'fs';
import * as path from 'path';
import { STDIN } from './manifest-sources';
import { PolicyObject } from '../k8s/policy-object';
import { EXPECTATIONS_FILE, prerequisiteObjects, readExpectations } from '../policy/expectations';

/**
 * What the checked app expects from the cluster: the prerequisites of the expectations file given with
 * `--expectations`, and of the one each folder target holds (a `HardenedApp` synth writes it into `dist/`).
 * @param targets the paths given on the command line
 * @param explicit the file given with `--expectations`
 * @throws Error naming a file that is not an expectations file this version reads
 */
export function prerequisitesOfTargets(targets: string[], explicit: string | undefined): PolicyObject[] {
  const beside = targets.filter((t) => t !== STDIN && existsSync(t) && statSync(t).isDirectory())
    .map((folder) => path.join(folder, EXPECTATIONS_FILE)).filter((file) => existsSync(file));
  const files = [...new Set([...explicit === undefined ? [] : [explicit], ...beside].map((f) => path.resolve(f)))];
  return files.flatMap((file) => prerequisiteObjects(readExpectations(file)));
}
