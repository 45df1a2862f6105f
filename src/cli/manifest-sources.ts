import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { KUSTOMIZE_GROUP, SkippedFile, skippedReason } from './skipped-file';
import { appliedObjects } from '../k8s/applied-objects';
import { policyObject, PolicyObject } from '../k8s/policy-object';
import { readKubernetesYaml } from '../parsers/kube-yaml';
import { manifestText } from '../parsers/manifest-bytes';

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

/** What `check` read from its targets. */
export interface ManifestSources {
  /** The Kubernetes objects, with where each was read. */
  readonly objects: SourcedObject[];
  /** The files read that hold no Kubernetes object, and why. */
  readonly skipped: SkippedFile[];
}

/**
 * The objects kubectl would apply from the targets: files, folders (their .yaml, .yml and .json files, recursively,
 * in name order; kubectl needs -R to recurse) and `-` for standard input. An object's path is `file:line`, the line
 * where its document starts; an item of a list is `file:line items[i]` (`items[i].items[j]` in a nested list), at the
 * list's line. Files without a Kubernetes object (Helm values, Chart.yaml, kustomize files, CI workflows) are
 * skipped, each with the reason; so are kustomize's own objects (they are not applied).
 * @param targets the paths (and `-`) given on the command line
 * @param readStdin reads standard input to its end
 * @throws Error naming the file and document that kubectl cannot read either, or a path that does not exist
 */
export function objectsOfTargets(targets: string[], readStdin: () => string): ManifestSources {
  const objects: SourcedObject[] = [];
  const skipped: SkippedFile[] = [];
  for (const target of targets) {
    const files = target === STDIN ? [{ name: STDIN_NAME, read: readStdin }] : manifestFilesUnder(target).map((file) => ({
      name: file, read: () => readManifestFile(file),
    }));
    for (const { name, read } of files) {
      const documents = readKubernetesYaml(read(), name);
      const found = objectsIn(documents, name);
      objects.push(...found);
      if (found.length === 0) skipped.push({ file: name, reason: skippedReason(name, documents.map((d) => d.value)) });
    }
  }
  return { objects, skipped };
}

function readManifestFile(file: string): string {
  try {
    return manifestText(readFileSync(file));
  } catch (e) {
    throw new Error(`${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
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

function objectsIn(documents: ReturnType<typeof readKubernetesYaml>, source: string): SourcedObject[] {
  return documents.flatMap(({ value, line }, d) => {
    let objects;
    try {
      objects = appliedObjects(value);
    } catch (e) {
      throw new Error(`${source}: document ${d + 1}: ${(e as Error).message}`);
    }
    const location = { file: source, line };
    return objects.filter(({ manifest }) => !String(manifest.apiVersion).startsWith(KUSTOMIZE_GROUP))
      .map(({ manifest, at }) => ({ object: policyObject(manifest, `${source}:${line}${at ? ` ${at}` : ''}`), location }));
  });
}
