#!/usr/bin/env bash
# End to end, as a user would, with the packages packed from this repository:
# 1. the library alone in a fresh app: installs without projen, loads, runs the README's cdk8s.yaml recipe
#    (the validation plugin from node_modules, offline) and its `cdk8s-hardened check` command;
# 2. the projen project type (scaffold/, cdk8s-hardened-projen): `projen new --from cdk8s-hardened-projen@file:<tgz>
#    cdk8s-hardened-app` scaffolds an app that builds (compile, test, `cdk8s synth` with the plugin) and passes the checks.
# Needs the npm registry for the new apps' dependencies.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap '[[ -n ${KEEP_E2E:-} ]] || rm -rf "$work"' EXIT
export CDK8S_CHECK_UPGRADE=false
# A new app has no lock file yet; under CI=true projen would insist on `npm ci` and fail.
unset CI

echo "== pack the library and the project type (each builds first: prepack)"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
(cd "$repo/scaffold" && npm pack --silent --pack-destination "$work" >/dev/null)
lib=$(ls "$work"/cdk8s-hardened-[0-9]*.tgz)
scaffold=$(ls "$work"/cdk8s-hardened-projen-*.tgz)
# (grep reads whole listings: with pipefail, grep -q closing a pipe early would fail tar)
grep -qx 'package/lib/index.js' <(tar -tzf "$lib") || { echo "the library package has no lib/index.js" >&2; exit 1; }
grep -qx 'package/.jsii' <(tar -tzf "$scaffold") || { echo "the project type package has no .jsii" >&2; exit 1; }

echo "== a fresh app with the library alone, set up as the README says"
mkdir "$work/plain" && cd "$work/plain"
npm init -y >/dev/null
# The README's install lines, with the packed library in place of the released one.
npm install --no-audit --no-fund "$lib" cdk8s@2.70.106 cdk8s-plus-27@2.9.5 constructs@10.8.1 >/dev/null
npm install --no-audit --no-fund --save-dev cdk8s-cli@2.207.60 typescript@~5.9.0 ts-node@^10 @types/node@^20 >/dev/null
if [[ -e node_modules/projen ]]; then echo "installing the library installed projen" >&2; exit 1; fi
# tsconfig.json and cdk8s.yaml: the README's blocks, as written there.
node -e '
  const blocks = require("fs").readFileSync(process.argv[1], "utf8").split("<!-- test/e2e/projen-app.sh reads this block -->").slice(1)
    .map((part) => part.split("```")[1].replace(/^\w+\n/, ""));
  if (blocks.length !== 2) throw new Error("README: expected 2 blocks for the end-to-end test, found " + blocks.length);
  require("fs").writeFileSync("tsconfig.json", blocks[0]);
  require("fs").writeFileSync("cdk8s.yaml", blocks[1]);
' "$repo/README.md"
cat > main.ts <<'TS'
import { Chart } from 'cdk8s';
import { DefaultDenyNamespace, HardenedApp, HealthProbe, SecureDeployment } from 'cdk8s-hardened';

const app = new HardenedApp();
const chart = new Chart(app, 'shop', { namespace: 'shop' });
const namespace = new DefaultDenyNamespace(chart, 'namespace', { name: 'shop' });
new SecureDeployment(chart, 'web', { name: 'web', namespace, image: 'ghcr.io/acme/web:1.0.0', port: 8080, readiness: HealthProbe.http('/healthz') });
app.synth();
TS
npx tsc --noEmit -p .
npx cdk8s synth --no-check-upgrade
npx cdk8s-hardened check dist
npx cdk8s-hardened check dist --format sarif > report.sarif
node -e "const s = JSON.parse(require('fs').readFileSync('report.sarif', 'utf8')); if (s.version !== '2.1.0') process.exit(1)"

echo "== projen new --from cdk8s-hardened-projen@file:$scaffold cdk8s-hardened-app"
mkdir "$work/my-app"
cd "$work/my-app"
node "$repo/node_modules/projen/bin/projen" new --from "cdk8s-hardened-projen@file:$scaffold" cdk8s-hardened-app --no-git \
  --hardened-library "cdk8s-hardened@file:$lib"

echo "== the scaffold"
test -f src/main.ts && test -f test/main.test.ts
grep -q 'new HardenedApp()' src/main.ts
grep -q 'HardenedValidation' cdk8s.yaml
grep -q '"cdk8s-hardened"' package.json
# The exact versions README.md and scaffold/README.md state, and the README's TypeScript and @types/node ranges.
node -e '
  const pkg = require("./package.json");
  const want = { dependencies: { cdk8s: "2.70.106", "cdk8s-plus-27": "2.9.5", constructs: "10.8.1" },
    devDependencies: { "cdk8s-cli": "2.207.60", typescript: "~5.9.0", "@types/node": "^20" } };
  for (const [field, deps] of Object.entries(want)) for (const [name, spec] of Object.entries(deps)) {
    if (pkg[field][name] !== spec) throw new Error(`${field}.${name}: ${pkg[field][name]}, expected ${spec}`);
  }
  if (!/^(0\.0\.0|file:)/.test(pkg.dependencies["cdk8s-hardened"])) throw new Error("cdk8s-hardened: " + pkg.dependencies["cdk8s-hardened"]);
'
if grep -q 'cdk8sVersion' .projenrc.ts; then echo ".projenrc.ts holds cdk8sVersion, which the project type would override" >&2; exit 1; fi

echo "== build the new app (compile, test, cdk8s synth with the validation plugin)"
npx projen build

echo "== its manifests pass the policy engine's check command"
ls dist/*.k8s.yaml
npx cdk8s-hardened check dist

checker="$repo/../shared/k8s-check/run"
if [[ -f $checker ]]; then
  echo "== and the independent checker"
  bash "$checker" "$work/my-app/dist"
fi
