import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { describeObject, policyObject, PolicyObject } from '../k8s/policy-object';

/**
 * The file a `HardenedApp` synth writes beside its manifests: what the app expects from the cluster (its
 * prerequisites: `Prerequisite` declarations and cdk8s-plus imports) and the construct path of each object, for
 * the checks that read only YAML (the cdk8s CLI plugin, `cdk8s-hardened check`). No `.json`/`.yaml` extension on
 * purpose: `kubectl apply -f dist/` and GitOps tools apply every such file of the folder as a manifest.
 */
export const EXPECTATIONS_FILE = 'cdk8s-hardened.expectations';
const FORMAT = 'cdk8s-hardened.expectations';
const VERSION = 1;
const TOP_KEYS = ['format', 'version', 'prerequisites', 'objects'];
const ENTRY_KEYS = ['kind', 'namespace', 'name', 'path'];

/** An object by identity, and the construct path that declares or defines it. */
export interface ExpectedObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly path: string;
}

/** The contents of an expectations file (version 1). */
export interface Expectations {
  /** What the app expects the cluster to have: declared, never applied. */
  readonly prerequisites: ExpectedObject[];
  /** Every object the app synthesized, with its construct path. */
  readonly objects: ExpectedObject[];
}

/**
 * Writes the expectations file into a folder.
 * @internal
 */
export function writeExpectations(folder: string, expectations: Expectations): void {
  const sorted = (list: ExpectedObject[]) => list.map(entry).sort((a, b) => key(a).localeCompare(key(b)) || a.path.localeCompare(b.path));
  const contents = { format: FORMAT, version: VERSION, prerequisites: sorted(expectations.prerequisites), objects: sorted(expectations.objects) };
  writeFileSync(path.join(folder, EXPECTATIONS_FILE), `${JSON.stringify(contents, undefined, 2)}\n`);
}

/**
 * Reads an expectations file, refusing anything but the format this version writes.
 * @throws Error naming the file and what is wrong with it
 * @internal
 */
export function readExpectations(file: string): Expectations {
  const fail = (problem: string): never => {
    throw new Error(`${file}: ${problem}; it is not an expectations file this version of cdk8s-hardened reads `
      + '(synthesize the app again with HardenedApp to rewrite it, or remove it)');
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the expectations file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return fail('not a JSON object');
  const unknown = Object.keys(parsed).find((k) => !TOP_KEYS.includes(k));
  if (unknown !== undefined) fail(`unknown key ${JSON.stringify(unknown)}`);
  if (parsed.format !== FORMAT) fail(`"format" is ${JSON.stringify(parsed.format)}, not "${FORMAT}"`);
  if (parsed.version !== VERSION) fail(`"version" is ${JSON.stringify(parsed.version)}; this version reads version ${VERSION}`);
  const list = (name: 'prerequisites' | 'objects'): ExpectedObject[] => {
    const value = parsed[name];
    if (!Array.isArray(value)) return fail(`"${name}" is not a list`);
    return value.map((item, i) => {
      const where = `"${name}"[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return fail(`${where} is not an object`);
      const extra = Object.keys(item).find((k) => !ENTRY_KEYS.includes(k));
      if (extra !== undefined) fail(`${where} has an unknown key ${JSON.stringify(extra)}`);
      for (const k of ['kind', 'name', 'path'] as const) {
        if (typeof item[k] !== 'string' || item[k] === '') fail(`${where}.${k} is ${JSON.stringify(item[k]) ?? 'missing'}, not a non-empty string`);
      }
      if (item.namespace !== undefined && (typeof item.namespace !== 'string' || item.namespace === '')) {
        fail(`${where}.namespace is ${JSON.stringify(item.namespace)}, not a non-empty string`);
      }
      return entry(item);
    });
  };
  return { prerequisites: list('prerequisites'), objects: list('objects') };
}

/**
 * The prerequisites of expectations as the policy engine sees them (as declared in the app).
 * @internal
 */
export function prerequisiteObjects(expectations: Expectations): PolicyObject[] {
  return expectations.prerequisites.map((p) => policyObject({ kind: p.kind, metadata: { name: p.name, namespace: p.namespace } }, p.path));
}

/** `Kind/namespace/name`: how the entries are ordered. */
function key(object: ExpectedObject): string {
  return describeObject(object as unknown as PolicyObject);
}

function entry(object: ExpectedObject): ExpectedObject {
  return { kind: object.kind, ...(object.namespace ? { namespace: object.namespace } : {}), name: object.name, path: object.path };
}
