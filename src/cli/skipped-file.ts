import * as path from 'path';

/** A file that `check` read and skipped: it holds no Kubernetes object. */
export interface SkippedFile {
  /** The file, as named on the command line or found in a folder. */
  readonly file: string;
  /** Why it holds no Kubernetes object, and what to check instead where there is something. */
  readonly reason: string;
}

/** The apiVersion group of kustomize's own files (Kustomization, Component): read by kustomize, never applied. */
export const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io/';

/**
 * Why a file holds no Kubernetes object, from its name and its decoded documents.
 * @param file the file
 * @param documents its documents, as kubectl decodes them
 */
export function skippedReason(file: string, documents: unknown[]): string {
  const name = path.basename(file);
  const render = 'render the chart (helm template) and check the output';
  if (documents.every((d) => d === null || d === undefined)) return 'empty: no YAML documents';
  if (name === 'Chart.yaml') return `a Helm chart's metadata, not a manifest; ${render}`;
  if (/^values([-.].*)?\.ya?ml$/.test(name)) return `Helm values, not a manifest; ${render}`;
  if (documents.some((d) => typeof (d as any)?.apiVersion === 'string' && (d as any).apiVersion.startsWith(KUSTOMIZE_GROUP))) {
    return 'a kustomize file, not a manifest; check what kubectl kustomize renders';
  }
  return 'no document has a kind: not a Kubernetes manifest (kubectl apply would refuse it)';
}
