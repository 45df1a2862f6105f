#!/usr/bin/env bash
# End to end, the README's app as a user writes it: README.md's `main.ts` block (between `<!-- main.ts -->` and
# `<!-- /main.ts -->`), verbatim, compiled with README's tsconfig.json block against the packed library (`npm pack`,
# installed from the tarball as README's "Install" says) and run:
# 1. as written, it synthesizes (exit 0) the objects README lists;
# 2. with a JSON patch setting `privileged: true` on the Deployment, it fails (exit 1, PSS-PRIVILEGED): the enforcing path;
# 3. the same patch with `new App()` in place of `new HardenedApp()` synthesizes a privileged container with exit 0,
#    which is what README says happens without enforcement.
# The library's dependencies come from npm's cache when it has them (--prefer-offline), else from the registry.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap '[[ -n ${KEEP_E2E:-} ]] || rm -rf "$work"' EXIT
export CDK8S_CHECK_UPGRADE=false

echo "== pack the library (prepack builds it)"
(cd "$repo" && npm pack --silent --pack-destination "$work" >/dev/null)
lib=$(ls "$work"/cdk8s-hardened-[0-9]*.tgz)

echo "== an app as README's Install says, with README's main.ts and tsconfig.json"
mkdir "$work/app" && cd "$work/app"
npm init -y >/dev/null
cp "$lib" .
npm install --prefer-offline --no-audit --no-fund "./$(basename "$lib")" cdk8s@2.70.106 cdk8s-plus-27@2.9.5 constructs@10.8.1 >/dev/null
node -e '
  const fs = require("fs");
  const readme = fs.readFileSync(process.argv[1], "utf8");
  const main = readme.split("<!-- main.ts -->");
  if (main.length !== 2) throw new Error("README: expected one <!-- main.ts --> marker, found " + (main.length - 1));
  const block = /```ts\n([\s\S]*?)\n```/.exec(main[1].split("<!-- /main.ts -->")[0]);
  if (!block) throw new Error("README: no ts block between <!-- main.ts --> and <!-- /main.ts -->");
  fs.writeFileSync("main.ts", block[1] + "\n");
  const tsconfig = readme.split("<!-- test/e2e/projen-app.sh reads this block -->")[1].split("```")[1].replace(/^\w+\n/, "");
  fs.writeFileSync("tsconfig.json", tsconfig);
' "$repo/README.md"
tsc="$repo/node_modules/.bin/tsc"

synth() { # $1: output folder; compiles main.ts and runs it, with the exit status of the run
  rm -rf lib && "$tsc" -p . && CDK8S_OUTDIR="$1" node lib/main.js
}

echo "== 1. as written: synthesizes"
synth "$work/out-plain"
kinds=$(grep '^kind: ' "$work/out-plain/shop.k8s.yaml" | sed 's/^kind: //' | sort | uniq -c | awk '{print $2 " ×" $1}' | paste -sd, -)
count=$(grep -c '^kind: ' "$work/out-plain/shop.k8s.yaml")
echo "shop.k8s.yaml: $count objects: $kinds"
stated=$(grep -o 'writes `dist/shop.k8s.yaml`: [0-9]* objects' "$repo/README.md" | grep -o '[0-9]* objects' | cut -d' ' -f1)
[[ $stated == "$count" ]] || { echo "README says the app writes ${stated:-?} objects; it wrote $count" >&2; exit 1; }
for kind in Namespace NetworkPolicy ResourceQuota LimitRange ServiceAccount Deployment Service PodDisruptionBudget; do
  grep -qx "kind: $kind" "$work/out-plain/shop.k8s.yaml" || { echo "no $kind in dist/shop.k8s.yaml" >&2; exit 1; }
done
if grep -q 'privileged: true' "$work/out-plain/shop.k8s.yaml"; then echo "privileged container in the README app" >&2; exit 1; fi

# The patch README shows, on the SecureDeployment README's main.ts creates (`new SecureDeployment(chart, 'web', …)`).
patch_main() { # $1: main.ts to patch
  node -e '
    const fs = require("fs");
    let main = fs.readFileSync(process.argv[1], "utf8");
    const replace = (from, to) => { if (!main.includes(from)) throw new Error("main.ts: no " + from); main = main.replace(from, to); };
    replace("import { Chart } from \x27cdk8s\x27;", "import { Chart, JsonPatch } from \x27cdk8s\x27;");
    replace("new SecureDeployment(chart, \x27web\x27,", "const web = new SecureDeployment(chart, \x27web\x27,");
    replace("\napp.synth();", "\nweb.deployment.addJsonPatch(JsonPatch.replace(\x27/spec/template/spec/containers/0/securityContext/privileged\x27, true));\napp.synth();");
    fs.writeFileSync(process.argv[1], main);
  ' "$1"
}

echo "== 2. with a JSON patch setting privileged: true: synth fails"
patch_main main.ts
if synth "$work/out-patched" 2> "$work/patched.err"; then
  echo "the README app synthesized a privileged container with exit 0" >&2; exit 1
fi
grep -q 'PSS-PRIVILEGED' "$work/patched.err" || { cat "$work/patched.err" >&2; echo "the failure does not name PSS-PRIVILEGED" >&2; exit 1; }
grep -m1 'PSS-PRIVILEGED' "$work/patched.err"

echo "== 3. the same patch with a plain App (no enforcement): exit 0, as README warns"
node -e '
  const fs = require("fs");
  let main = fs.readFileSync("main.ts", "utf8");
  for (const [from, to] of [["import { Chart, JsonPatch } from \x27cdk8s\x27;", "import { App, Chart, JsonPatch } from \x27cdk8s\x27;"], ["new HardenedApp()", "new App()"], [" HardenedApp,", ""]]) {
    if (!main.includes(from)) throw new Error("main.ts: no " + from);
    main = main.replace(from, to);
  }
  fs.writeFileSync("main.ts", main);
'
synth "$work/out-unenforced"
grep -q 'privileged: true' "$work/out-unenforced/shop.k8s.yaml" || { echo "expected the unenforced app to write privileged: true" >&2; exit 1; }
echo "plain App: synthesized privileged: true with exit 0 (README: keep the enforcing app)"
echo "== README's main.ts: ok"
