// Regenerates src/imports/ from ../shared/crds with only the kinds and the version the library emits, so the
// package carries typed classes for the nine kinds it emits instead of every kind and version of Istio, the Gateway API
// and Argo Rollouts.
// `npm run import:crds` (runs `cdk8s import` offline on a filtered copy of the upstream CRDs).
import { execFileSync } from 'child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

const CRDS = path.join(__dirname, '..', '..', 'shared', 'crds');
const OUT = path.join(__dirname, '..', 'src', 'imports');
const WORK = path.join(__dirname, '..', '.tmp', 'crds');

/** What the library emits: kinds of one API group (from one or more CRD files), at one version. */
const EMITTED = [
  { files: ['istio/networking.yaml'], name: 'networking.istio.io', kinds: ['DestinationRule', 'ServiceEntry', 'Sidecar', 'VirtualService'], version: 'v1' },
  { files: ['istio/security.yaml'], name: 'security.istio.io', kinds: ['AuthorizationPolicy', 'PeerAuthentication'], version: 'v1' },
  { files: ['gateway-api/gateway.networking.k8s.io_httproutes.yaml'], name: 'gateway.networking.k8s.io', kinds: ['HTTPRoute'], version: 'v1' },
  { files: ['argo-rollouts/rollout-crd.yaml', 'argo-rollouts/analysis-template-crd.yaml'], name: 'argoproj.io', kinds: ['Rollout', 'AnalysisTemplate'], version: 'v1alpha1' },
];

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });
for (const source of EMITTED) {
  const crds = source.files.flatMap((file) => parseAllDocuments(readFileSync(path.join(CRDS, file), 'utf8')).map((d) => d.toJS()))
    .filter((crd) => crd?.kind === 'CustomResourceDefinition' && source.kinds.includes(crd.spec.names.kind))
    .map((crd) => ({ ...crd, spec: { ...crd.spec, versions: crd.spec.versions.filter((v: any) => v.name === source.version) } }));
  const missing = source.kinds.filter((kind) => !crds.some((crd) => crd.spec.names.kind === kind && crd.spec.versions.length === 1));
  if (missing.length > 0) throw new Error(`${source.files.join(', ')}: no ${source.version} of ${missing.join(', ')}`);
  const file = path.join(WORK, `${source.name}.yaml`);
  writeFileSync(file, crds.map((crd) => stringify(crd)).join('---\n'));
  execFileSync('npx', ['cdk8s', 'import', file, '--output', OUT, '--language', 'typescript', '--no-check-upgrade'], { stdio: 'inherit' });
}
