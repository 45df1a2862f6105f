import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { appliedObjects } from '../k8s/applied-objects';
import { policyObject, PolicyObject } from '../k8s/policy-object';
import { readKubernetesYaml } from '../parsers/kube-yaml';

/** The target that names standard input, as in `kubectl apply -f -`. */
export const STDIN = '-';
/** How objects read from standard input are named in reports. */
export const STDIN_NAME = '<stdin>';
/** The files `kubectl apply -f DIR` reads from a folder. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/** Where an object was read. */
export interface SourceLocation {
  /** The file as the command line reached it (a target, or a file under a target folder), or `<stdin>`. */
  readonly file: string;
  /** The 1-based line where its document starts (after comments and `---`); for an item of a list, the list's. */
  readonly line: number;
}

/** An object kubectl would apply, and where it was read. */
export interface SourcedObject {
  /** The object, its path `file:line` (`file:line items[i]` for an item of a list). */
  readonly object: PolicyObject;
  /** Its file and line. */
  readonly location: SourceLocation;
}

/**
 * The objects kubectl would apply from the targets: files, folders (their .yaml, .yml and .json files, recursively,
 * in name order; kubectl needs -R to recurse) and `-` for standard input. An object's path is `file:line`, the line
 * where its document starts; an item of a list is `file:line items[i]` (`items[i].items[j]` in a nested list), at the
 * list's line.
 * @param targets the paths (and `-`) given on the command line
 * @param readStdin reads standard input to its end
 * @throws Error naming the file and document that kubectl cannot read either, or a path that does not exist
 */
export function objectsOfTargets(targets: string[], readStdin: () => string): SourcedObject[] {
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

function objectsIn(text: string, source: string): SourcedObject[] {
  return readKubernetesYaml(text, source).flatMap(({ value, line }, d) => {
    let objects;
    try {
      objects = appliedObjects(value);
    } catch (e) {
      throw new Error(`${source}: document ${d + 1}: ${(e as Error).message}`);
    }
    const location = { file: source, line };
    return objects.map(({ manifest, at }) => ({ object: policyObject(manifest, `${source}:${line}${at ? ` ${at}` : ''}`), location }));
  });
}
