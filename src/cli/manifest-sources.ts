import { readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { KUSTOMIZE_GROUP, SkippedFile, skippedReason } from './skipped-file';
import { appliedObjects } from '../k8s/applied-objects';
import { policyObject, PolicyObject } from '../k8s/policy-object';
import { parseKubernetesYaml } from '../parsers/kube-yaml';

/** The target that names standard input, as in `kubectl apply -f -`. */
export const STDIN = '-';
/** How objects read from standard input are named in reports. */
const STDIN_NAME = '<stdin>';
/** The files `kubectl apply -f DIR` reads from a folder. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

/** What `check` read from its targets. */
export interface ManifestSources {
  /** The Kubernetes objects. */
  readonly objects: PolicyObject[];
  /** The files read that hold no Kubernetes object, and why. */
  readonly skipped: SkippedFile[];
}

/**
 * The objects kubectl would apply from the targets: files, folders (their .yaml, .yml and .json files, recursively,
 * in name order; kubectl needs -R to recurse) and `-` for standard input. An object's path is
 * `file#Kind/namespace/name`; an item of a list is `file#docN.items[i]:Kind/namespace/name` (N counts the documents
 * of the file, from 1). Files without a Kubernetes object (Helm values, Chart.yaml, kustomize files, CI workflows) are
 * skipped, each with the reason; so are kustomize's own objects (they are not applied).
 * @param targets the paths (and `-`) given on the command line
 * @param readStdin reads standard input to its end
 * @throws Error naming the file and document that kubectl cannot read either, or a path that does not exist
 */
export function objectsOfTargets(targets: string[], readStdin: () => string): ManifestSources {
  const objects: PolicyObject[] = [];
  const skipped: SkippedFile[] = [];
  for (const target of targets) {
    const files = target === STDIN ? [{ name: STDIN_NAME, read: readStdin }] : manifestFilesUnder(target).map((file) => ({
      name: file, read: () => readManifestFile(file),
    }));
    for (const { name, read } of files) {
      const documents = parseKubernetesYaml(read(), name);
      const found = objectsIn(documents, name);
      objects.push(...found);
      if (found.length === 0) skipped.push({ file: name, reason: skippedReason(name, documents) });
    }
  }
  return { objects, skipped };
}

function readManifestFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
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

function objectsIn(documents: unknown[], source: string): PolicyObject[] {
  return documents.flatMap((document, d) => {
    let objects;
    try {
      objects = appliedObjects(document);
    } catch (e) {
      throw new Error(`${source}: document ${d + 1}: ${(e as Error).message}`);
    }
    return objects.filter(({ manifest }) => !String(manifest.apiVersion).startsWith(KUSTOMIZE_GROUP)).map(({ manifest, at }) => {
      const identity = [manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name].filter(Boolean).join('/');
      return policyObject(manifest, `${source}#${at ? `doc${d + 1}.${at}:` : ''}${identity}`);
    });
  });
}
