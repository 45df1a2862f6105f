#!/usr/bin/env bash
# End to end: acknowledgements in plain YAML (the ack.cdk8s-hardened.dev/<RULE-ID> annotation) through the
# `cdk8s-hardened check` command, as a user runs it. Needs lib/ compiled (npx projen compile); no network.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
check() { node "$repo/lib/cli/main.js" check "$@"; }
# An expiry within the year ahead (GNU date), and one in the past.
soon=$(date -u -d '+30 days' +%F)

# A LoadBalancer Service (NSA-SERVICE-EXPOSURE, a warning) whose exposure is acknowledged on the object itself.
service() {
  cat <<YAML
apiVersion: v1
kind: Service
metadata:
  name: shop-edge
  namespace: shop
  annotations:
    ack.cdk8s-hardened.dev/NSA-SERVICE-EXPOSURE: '{"reason": "the public entry point until PLAT-42", "owner": "team-shop", "expires": "$1"}'
spec:
  type: LoadBalancer
  selector: {app: shop}
  ports: [{port: 443, targetPort: 8443}]
YAML
}

echo "== an acknowledgement annotation: check exits 0 and lists it with its owner and expiry"
service "$soon" > "$work/current.yaml"
out=$(check "$work/current.yaml" --packs nsa-cisa --fail-on-warnings)
echo "$out"
grep -q "NSA-SERVICE-EXPOSURE at $work/current.yaml:1 Service/shop/shop-edge (annotation): 1 finding accepted" <<<"$out"
grep -q "(owner team-shop, expires $soon)" <<<"$out"

echo "== the same acknowledgement, expired: the finding is back, marked, and check exits 1 with --fail-on-warnings"
service 2020-01-31 > "$work/expired.yaml"
set +e
out=$(check "$work/expired.yaml" --packs nsa-cisa --fail-on-warnings)
status=$?
set -e
echo "$out"
[[ $status -eq 1 ]] || { echo "expected exit 1 for an expired acknowledgement, got $status" >&2; exit 1; }
grep -q 'ACKNOWLEDGEMENT EXPIRED on 2020-01-31 (owner team-shop): "the public entry point until PLAT-42"' <<<"$out"
grep -q 'WARNING \[ACK-EXPIRED\]' <<<"$out"

echo "== an expired acknowledgement of an error-level rule fails without any flag"
cat > "$work/privileged.yaml" <<'YAML'
apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
  annotations:
    ack.cdk8s-hardened.dev/PSS-PRIVILEGED: '{"reason": "break-glass pod for INC-42", "owner": "sre", "expires": "2020-01-31"}'
spec:
  containers: [{name: debug, image: "busybox:1.36.1", securityContext: {privileged: true}}]
YAML
set +e
out=$(check "$work/privileged.yaml" --packs pss-baseline)
status=$?
set -e
[[ $status -eq 1 ]] || { echo "expected exit 1, got $status: $out" >&2; exit 1; }
grep -q 'ERROR \[PSS-PRIVILEGED\]' <<<"$out"

echo "acknowledgements end to end: ok"
