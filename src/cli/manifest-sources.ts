import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { appliedObjects } from '../k8s/applied-objects';
import { policyObject, PolicyObject } from '../k8s/policy-object';
import { parseKubernetesYaml } from '../parsers/kube-yaml';

/** The target that names standard input, as in `kubectl apply -f -`. */
export const STDIN = '-';
/** How objects read from standard input are named in reports. */
const STDIN_NAME = '<stdin>';
/** The files `kubectl apply -f DIR` reads from a folder. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/**
 * The objects kubectl would apply from the targets: files, folders (their .yaml, .yml and .json files, recursively,
 * in name order; kubectl needs -R to recurse) and `-` for standard input. An object's path is
 * `file#Kind/namespace/name`; an item of a list is `file#docN.items[i]:Kind/namespace/name` (N counts the documents
 * of the file, from 1).
 * @param targets the paths (and `-`) given on the command line
 * @param readStdin reads standard input to its end
 * @throws Error naming the file and document that kubectl cannot read either, or a path that does not exist
 */
export function objectsOfTargets(targets: string[], readStdin: () => string): PolicyObject[] {
  return targets.flatMap((target) => target === STDIN ? objectsIn(readStdin(), STDIN_NAME) : manifestFilesUnder(target).flatMap((file) =>
    objectsIn(readFileSync(file, 'utf8'), file)));
}

function manifestFilesUnder(target: string): string[] {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    throw new Error(`${target}: no such file or folder`);
  }
  if (stats.isFile()) return [target];
  return readdirSync(target).sort().flatMap((name) => {
    const child = path.join(target, name);
    return statSync(child).isDirectory() ? manifestFilesUnder(child) : MANIFEST_FILE.test(name) ? [child] : [];
  });
}

function objectsIn(text: string, source: string): PolicyObject[] {
  return parseKubernetesYaml(text, source).flatMap((document, d) => {
    let objects;
    try {
      objects = appliedObjects(document);
    } catch (e) {
      throw new Error(`${source}: document ${d + 1}: ${(e as Error).message}`);
    }
    return objects.map(({ manifest, at }) => {
      const identity = [manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name].filter(Boolean).join('/');
      return policyObject(manifest, `${source}#${at ? `doc${d + 1}.${at}:` : ''}${identity}`);
    });
  });
}
