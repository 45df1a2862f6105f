import { readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const CRDS = path.join(__dirname, '..', 'fixtures', 'crds');

/** The openAPIV3Schema of a kind at an apiVersion, from the upstream CRDs in test/fixtures/crds (copied by `npm run fixtures:import`). */
function crdSchema(apiVersion: string, kind: string): any {
  const [group, version] = apiVersion.split('/');
  for (const folder of readdirSync(CRDS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(path.join(CRDS, folder.name)).filter((f) => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(path.join(CRDS, folder.name, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.spec?.group !== group || crd.spec.names?.kind !== kind) continue;
        const served = crd.spec.versions.find((v: any) => v.name === version);
        if (served) return served.schema.openAPIV3Schema;
      }
    }
  }
  throw new Error(`no CRD for ${apiVersion} ${kind} in ${CRDS}: add its file to scripts/import-fixtures.ts and run npm run fixtures:import`);
}

/**
 * Strict findings of a custom resource against its CRD, as the API server's structural schema reads it: types,
 * enums, required fields, and unknown fields (pruned by the server, an error for a strict client).
 */
export function crdFindings(manifest: any): string[] {
  const findings: string[] = [];
  const walk = (value: any, schema: any, at: string) => {
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
    if (schema['x-kubernetes-int-or-string']) {
      if (typeof value !== 'string' && !Number.isInteger(value)) findings.push(`${at}: not an integer or string`);
      return;
    }
    const type = schema.type;
    const actual = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
    if (type && !(type === actual || (type === 'number' && actual === 'integer'))) {
      findings.push(`${at}: ${actual}, not ${type}`);
      return;
    }
    if (schema.enum && !schema.enum.includes(value)) findings.push(`${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
    if (type === 'array') value.forEach((item: any, i: number) => walk(item, schema.items ?? {}, `${at}[${i}]`));
    if (type !== 'object') return;
    for (const key of schema.required ?? []) if (value[key] === undefined) findings.push(`${at}.${key}: required`);
    for (const [key, child] of Object.entries(value)) {
      // The API server validates an object's metadata itself (ObjectMeta); a CRD's schema may only declare it an object.
      if (at === '' && ['apiVersion', 'kind', 'metadata'].includes(key)) continue;
      const property = schema.properties?.[key] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (property) walk(child, property, `${at}.${key}`);
      else if (!schema.additionalProperties) findings.push(`${at}.${key}: unknown field`);
    }
  };
  walk(manifest, crdSchema(manifest.apiVersion, manifest.kind), '');
  return findings;
}
