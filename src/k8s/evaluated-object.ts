import { PodView, podViewOf } from './pod-view';
import type { PolicyObject } from './policy-object';

/**
 * A manifest as the engine evaluates it. Every rule asks for the pod view of every workload: the object
 * computes it on first use and keeps it, so the cache lives exactly as long as the evaluation that made
 * the object (nothing is written onto the manifest, which may become output).
 */
export class EvaluatedObject implements PolicyObject {
  public readonly apiVersion: string;
  public readonly kind: string;
  public readonly name: string;
  public readonly namespace?: string;
  private podView: PodView | null | undefined;

  constructor(public readonly manifest: any, private readonly constructPath: string) {
    // Any YAML reaches here (the CLI): fields that are not strings read as unset, so no rule trips over them.
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    this.apiVersion = text(manifest?.apiVersion) ?? '';
    this.kind = text(manifest?.kind) ?? '';
    this.name = text(manifest?.metadata?.name) ?? '';
    this.namespace = text(manifest?.metadata?.namespace);
  }

  public get path(): string {
    return this.constructPath;
  }

  /** The pod view of the manifest, computed once. */
  public get pod(): PodView | undefined {
    if (this.podView === undefined) this.podView = podViewOf(this.manifest) ?? null;
    return this.podView ?? undefined;
  }
}

/**
 * The pod view of an object's manifest: kept by objects the engine made, computed for others (a rule's
 * own copies, structs from other languages).
 */
export function podOf(object: PolicyObject): PodView | undefined {
  return object instanceof EvaluatedObject ? object.pod : podViewOf(object.manifest);
}
