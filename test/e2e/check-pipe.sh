#!/usr/bin/env bash
# `cdk8s-hardened check` as a linter in a pipe: a multi-document YAML stream with one privileged pod, piped through a
# real shell pipe into `node lib/cli/main.js check - --format sarif`. Asserts exit status 1, a SARIF log that parses,
# the driver's version (package.json), the privileged pod's result, and its region's startLine where results carry one.
# Builds nothing: run `npx projen compile` first (lib/ must exist). Needs node only (no network).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ -f "$repo/lib/cli/main.js" ]] || { echo "check-pipe: $repo/lib/cli/main.js is missing; run npx projen compile first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

manifests() {
  cat <<'YAML'
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# a comment document boundary follows
---
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  containers:
    - name: shell
      image: busybox:1.36.1
      securityContext:
        privileged: true
YAML
}

status=0
manifests | (cd "$repo" && node lib/cli/main.js check - --format sarif) >"$work/out.sarif" 2>"$work/err.txt" || status=$?
if [[ $status -ne 1 ]]; then
  echo "check-pipe: expected exit status 1 (errors found), got $status" >&2
  cat "$work/err.txt" >&2
  exit 1
fi

node - "$work/out.sarif" "$repo/package.json" <<'JS'
const { readFileSync } = require('fs');
const [sarifFile, packageFile] = process.argv.slice(2);
const fail = (message) => { console.error(`check-pipe: ${message}`); process.exit(1); };
let log;
try {
  log = JSON.parse(readFileSync(sarifFile, 'utf8'));
} catch (e) {
  fail(`the output is not JSON: ${e.message}`);
}
if (log.version !== '2.1.0' || !Array.isArray(log.runs) || log.runs.length !== 1) fail('not a SARIF 2.1.0 log with one run');
const run = log.runs[0];
const version = JSON.parse(readFileSync(packageFile, 'utf8')).version;
if (run.tool.driver.version !== version) fail(`driver version is ${run.tool.driver.version}, expected ${version}`);
const result = run.results.find((r) => r.ruleId === 'PSS-PRIVILEGED');
if (!result) fail(`no PSS-PRIVILEGED result among ${run.results.map((r) => r.ruleId).join(', ')}`);
if (result.level !== 'error') fail(`PSS-PRIVILEGED is ${result.level}, expected error`);
const region = result.locations?.[0]?.physicalLocation?.region;
// Locations (file:line) are optional: where a result has a region, its startLine must be in the pod's document.
// The pod's document is lines 8 to 18 of the stream.
if (region !== undefined && !(region.startLine >= 8 && region.startLine <= 18)) fail(`region ${JSON.stringify(region)} is not in the pod's document`);
console.log(`check-pipe: ok (exit 1, SARIF ${log.version}, cdk8s-hardened ${version}, PSS-PRIVILEGED${region ? ` at line ${region.startLine}` : ''})`);
JS
