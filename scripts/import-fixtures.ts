// Copies the upstream data that the tests read from ../shared into test/fixtures/, pruned to exactly what they
// read, with each source's licence and a README naming repository, commit and path, so that `npm test` passes in a
// clone with nothing beside it. `npm run fixtures:import [-- <shared folder>]` (default ../shared).
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';

const SHARED = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'shared'));
const OUT = path.join(__dirname, '..', 'test', 'fixtures');

interface FixtureSet {
  /** Folder under test/fixtures/ and under the shared folder. */
  readonly folder: string;
  /** Files to copy, relative to the folder: every `.yaml` file below the listed subfolders, or the listed files. */
  readonly subfolders?: string[];
  readonly files?: string[];
  /** Files beside them that hold their licence, relative to the folder. */
  readonly licences: string[];
  /** The README written beside them. */
  readonly readme: string;
}

const SETS: FixtureSet[] = [
  {
    folder: 'pss-conformance',
    subfolders: ['baseline', 'restricted'],
    licences: ['LICENSE'],
    readme: `# Pod Security Standards conformance fixtures (upstream)

Kubernetes' own PodSecurity admission fixtures, one Pod per file: \`<level>/<version>/<pass|fail>/<check><n>.yaml\`
(\`pass\`: PodSecurity at that level and version admits the Pod; \`fail\`: it rejects it), for the policy versions
v1.27 to v1.37.

- Source: \`k8s.io/pod-security-admission\` (https://github.com/kubernetes/pod-security-admission, published from
  kubernetes/kubernetes \`staging/src/k8s.io/pod-security-admission\`), path \`test/testdata\`, commit
  \`8f84a87c7f617f64a4ddc1aea24aeeb7a2e07cb8\` of 2026-07-01.
- Licence: Apache-2.0, see \`LICENSE\` beside this file.
- Read by \`test/policy/pss-conformance.test.ts\` and \`test/policy/cel-parity.test.ts\`: every fixture.
- Copied from \`../shared/pss-conformance\` by \`npm run fixtures:import\` (\`scripts/import-fixtures.ts\`); do not edit.
`,
  },
  {
    folder: 'crds/sigstore-policy-controller',
    files: ['300-clusterimagepolicy.yaml'],
    licences: ['LICENSE'],
    readme: `# Sigstore policy-controller CustomResourceDefinition (upstream)

\`300-clusterimagepolicy.yaml\`: the ClusterImagePolicy CRD (\`policy.sigstore.dev\`, \`v1alpha1\` and \`v1beta1\`).

- Source: https://github.com/sigstore/policy-controller, tag \`v0.15.1\`, commit
  \`cc75baab1d34d3bae47bde7bd934bf79e5ca3afc\` (2026-03-26), path \`config/300-clusterimagepolicy.yaml\`;
  the file is unedited (it keeps upstream's licence header).
- Licence: Apache-2.0, see \`LICENSE\` beside this file.
- Read by \`test/support/crd-schema.ts\`: the ImageVerification tests validate the ClusterImagePolicy they emit
  against it, strictly.
- Copied from \`../shared/crds/sigstore-policy-controller\` by \`npm run fixtures:import\`
  (\`scripts/import-fixtures.ts\`); do not edit. A test that validates another custom resource adds its CRD file
  to that script.
`,
  },
  {
    folder: 'crds/argo-rollouts',
    files: ['rollout-crd.yaml', 'analysis-template-crd.yaml'],
    licences: ['LICENSE'],
    readme: `# Argo Rollouts CustomResourceDefinitions (upstream)

\`rollout-crd.yaml\` (Rollout) and \`analysis-template-crd.yaml\` (AnalysisTemplate), group \`argoproj.io\`, version \`v1alpha1\`.

- Source: https://github.com/argoproj/argo-rollouts, tag \`v1.9.1\`, commit
  \`b6bd3bcf8f60d717a98763d26acc983db7f97cb0\` (2026-07-06), paths \`manifests/crds/rollout-crd.yaml\` and
  \`manifests/crds/analysis-template-crd.yaml\`; the files are unedited.
- Licence: Apache-2.0, see \`LICENSE\` beside this file.
- Read by \`test/support/crd-schema.ts\`: the SecureRollout tests validate the Rollout and AnalysisTemplates they emit
  against them, strictly.
- Copied from \`../shared/crds/argo-rollouts\` by \`npm run fixtures:import\` (\`scripts/import-fixtures.ts\`); do not edit.
`,
  },
  {
    folder: 'crds/prometheus-operator',
    files: ['monitoring.coreos.com_podmonitors.yaml'],
    licences: ['LICENSE'],
    readme: `# prometheus-operator PodMonitor CustomResourceDefinition (upstream)

\`monitoring.coreos.com_podmonitors.yaml\`: the PodMonitor CRD (\`monitoring.coreos.com\`, \`v1\`).

- Source: https://github.com/prometheus-operator/prometheus-operator, tag \`v0.93.0\`, commit
  \`f8fafd475f3d132e239432ae6172de60a6cb6516\` (2026-07-28), path
  \`example/prometheus-operator-crd/monitoring.coreos.com_podmonitors.yaml\`; the file is unedited.
- Licence: Apache-2.0, see \`LICENSE\` beside this file.
- Read by \`test/support/crd-schema.ts\`: the SecureRollout tests validate the PodMonitor they emit against it, strictly.
- Copied from \`../shared/crds/prometheus-operator\` by \`npm run fixtures:import\` (\`scripts/import-fixtures.ts\`); do not edit.
`,
  },
  {
    folder: 'crds/kyverno',
    files: ['kyverno.io_clusterpolicies.yaml'],
    licences: ['LICENSE'],
    readme: `# Kyverno ClusterPolicy CustomResourceDefinition (upstream)

\`kyverno.io_clusterpolicies.yaml\`: the ClusterPolicy CRD (\`kyverno.io\`, \`v1\` and \`v2beta1\`), and its \`LICENSE\`
(Apache-2.0), copied unedited from \`../shared/crds/kyverno\` (the CRDs k8s-check validates against).

- Read by \`test/support/crd-schema.ts\`: the ImageVerification tests validate the Kyverno ClusterPolicy they emit
  against it, strictly.
- To do: add this file to \`scripts/import-fixtures.ts\` so that \`npm run fixtures:import\` refreshes it with the others.
`,
  },
];

/** Every `.yaml` file below a folder, relative to it, sorted. */
function yamlFiles(root: string, folder: string): string[] {
  return readdirSync(path.join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(folder, entry.name);
    if (entry.isDirectory()) return yamlFiles(root, rel);
    return entry.name.endsWith('.yaml') ? [rel] : [];
  }).sort();
}

if (!existsSync(SHARED)) throw new Error(`${SHARED} does not exist: pass the shared data folder, npm run fixtures:import -- <folder>`);
// Only this script's folders are replaced: test/fixtures/ also holds data copied from elsewhere (netpol-conformance,
// go-yaml-v2, postgres-image), each with its own README naming its source.
for (const set of SETS) {
  const from = path.join(SHARED, set.folder);
  const to = path.join(OUT, set.folder);
  rmSync(to, { recursive: true, force: true });
  const files = [...(set.files ?? []), ...(set.subfolders ?? []).flatMap((sub) => yamlFiles(from, sub)), ...set.licences];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    copyFileSync(path.join(from, file), path.join(to, file));
  }
  writeFileSync(path.join(to, 'README.md'), set.readme);
  console.log(`test/fixtures/${set.folder}: ${files.length} files from ${from}`);
}
