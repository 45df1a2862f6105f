#!/usr/bin/env bash
# End to end: pack this library, scaffold a new app from its projen project type exactly as a user would
# (`projen new --from cdk8s-hardened@file:<tgz> cdk8s-hardened-app`), build it (compile, its own test,
# `cdk8s synth` with the validation plugin), and check its manifests with the policy engine.
# Needs the compiled library (npx projen compile) and the npm registry for the new app's dependencies.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap '[[ -n ${KEEP_E2E:-} ]] || rm -rf "$work"' EXIT
export CDK8S_CHECK_UPGRADE=false
# A new app has no lock file yet; under CI=true projen would insist on `npm ci` and fail.
unset CI

echo "== pack"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
tgz=$(ls "$work"/cdk8s-hardened-*.tgz)

echo "== projen new --from cdk8s-hardened@file:$tgz cdk8s-hardened-app"
mkdir "$work/my-app"
cd "$work/my-app"
node "$repo/node_modules/projen/bin/projen" new --from "cdk8s-hardened@file:$tgz" cdk8s-hardened-app --no-git

echo "== the scaffold"
test -f src/main.ts && test -f test/main.test.ts
grep -q 'Policy.enforce(app)' src/main.ts
grep -q 'HardenedValidation' cdk8s.yaml
grep -q '"cdk8s-hardened"' package.json

echo "== build the new app (compile, test, cdk8s synth with the validation plugin)"
npx projen build

echo "== its manifests pass the policy engine"
ls dist/*.k8s.yaml
(cd "$repo" && npx ts-node --swc scripts/check-manifests.ts "$work/my-app/dist")

checker="$repo/../shared/k8s-check/run"
if [[ -f $checker ]]; then
  echo "== and the independent checker"
  bash "$checker" "$work/my-app/dist"
fi
