#!/usr/bin/env bash
# End to end: the cdk8s CLI plugin knows what the app declared. A tiny app reads an external Secret
# (cdk8s-plus Secret.fromSecretName); `npx cdk8s synth` with the HardenedValidation plugin warns about the
# reference when the app is a plain App, and not when it is a HardenedApp (whose synth writes
# cdk8s-hardened.expectations beside the YAML). Needs lib/ compiled (npx projen compile); no network.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Inside the repository, so that the app resolves cdk8s, cdk8s-plus-27 and the CLI from its node_modules.
app=$(mktemp -d "$repo/test/e2e/.plugin-expectations-XXXXXX")
trap 'rm -rf "$app"' EXIT
export CDK8S_CHECK_UPGRADE=false

cat > "$app/main.js" <<'JS'
const { App, Chart } = require('cdk8s');
const kplus = require('cdk8s-plus-27');
const { HardenedApp, HealthProbe, SecureDeployment } = require(process.env.HARDENED_LIB);

const app = process.env.PLAIN_APP ? new App() : new HardenedApp();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const credentials = kplus.Secret.fromSecretName(chart, 'db-credentials', 'db-credentials');
new SecureDeployment(chart, 'web', {
  name: 'web',
  image: 'ghcr.io/acme/web:1.4.2',
  port: 8080,
  readiness: HealthProbe.http('/healthz'),
  env: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'password' }) },
});
app.synth();
JS
cat > "$app/cdk8s.yaml" <<YAML
language: typescript
app: node main.js
validations:
  - package: $repo
    class: HardenedValidation
    version: 0.0.0
    properties:
      packs: [pss-restricted, nsa-cisa, cis, cluster-fit, best-practices]
YAML
export HARDENED_LIB="$repo/lib"
cd "$app"

echo "== a plain App: no expectations file, so the plugin cannot know the Secret and warns"
plain=$(PLAIN_APP=1 npx cdk8s synth --no-check-upgrade 2>&1) || { echo "$plain" >&2; exit 1; }
grep -q 'K8S-REFERENCES-RESOLVE' <<<"$plain" || { echo "$plain" >&2; echo "expected the reference warning without expectations" >&2; exit 1; }
[[ ! -e dist/cdk8s-hardened.expectations ]]

echo "== a HardenedApp: the synth writes the expectations, and the warning is gone"
hardened=$(npx cdk8s synth --no-check-upgrade 2>&1) || { echo "$hardened" >&2; exit 1; }
echo "$hardened"
[[ -f dist/cdk8s-hardened.expectations ]]
if grep -q 'K8S-REFERENCES-RESOLVE' <<<"$hardened"; then echo "the plugin still warns about the declared Secret" >&2; exit 1; fi
grep -q 'Secret shop/db-credentials' <<<"$hardened"

echo "== check reads the same file from dist/"
node "$repo/lib/cli/main.js" check dist --packs cluster-fit | tee /dev/stderr | grep -q 'expects from the cluster: Secret shop/db-credentials'

echo "plugin expectations end to end: ok"
