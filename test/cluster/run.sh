#!/usr/bin/env bash
# The cluster suite (`npm run test:cluster`): examples, admission policies, PodSecurity and the YAML reader proven on a
# real API server. With KUBECONFIG set (kind, k3d or a real cluster) it runs there; otherwise it starts the bundled
# kube-apiserver 1.32 + etcd with ../shared/kapi/up.sh. Each run uses new namespace names.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export CDK8S_CHECK_UPGRADE=false
start=$SECONDS

missing() { echo "test:cluster: $*" >&2; exit 1; }
command -v kubectl >/dev/null || missing "kubectl not found: install kubectl (https://kubernetes.io/docs/tasks/tools/) or put it on PATH"
crds="${CLUSTER_CRDS:-../shared/crds}"
[[ -d $crds ]] || missing "no CRDs at $crds: the examples need the Istio, Gateway API, Cilium, Prometheus operator, Argo Rollouts and Sigstore CRDs (set CLUSTER_CRDS to a folder of them)"

if [[ -z ${KUBECONFIG:-} ]]; then
  kapi=../shared/kapi
  [[ -x $kapi/up.sh ]] || missing "no KUBECONFIG and no bundled API server ($kapi/up.sh is missing): export KUBECONFIG for a cluster of yours (kind, k3d, a real one), or provide $kapi (kube-apiserver 1.32 with Debian's etcd-server)"
  if ! command -v etcd >/dev/null && [[ $(id -u) != 0 ]]; then
    missing "no etcd for the bundled API server: apt-get install -y etcd-server (or run as root: up.sh installs it), or export KUBECONFIG for a cluster of yours"
  fi
  # A fresh state folder per run (unless KAPI_HOME names one to keep): nothing left by an earlier run or machine (pid
  # files, ports, a growing etcd) decides this one, and the servers stop when the suite ends.
  if [[ -z ${KAPI_HOME:-} ]]; then
    KAPI_HOME="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-hardened-kapi.XXXXXX")"
    trap 'KAPI_HOME="$KAPI_HOME" "$kapi/down.sh"; pkill -f -- "$KAPI_HOME/" || true; rm -rf "$KAPI_HOME"' EXIT
  fi
  export KAPI_HOME
  # up.sh starts etcd and the API server with setsid and records `$!`. Under job control (a caller that exported
  # SHELLOPTS with `monitor`, or a BASH_ENV that sets -m) setsid forks, the recorded pid exits at once and up.sh
  # reports "etcd exited" about a server that runs. So it gets a plain, non-interactive bash; one retry after
  # stopping whatever the failed attempt started.
  start_kapi() { env -u SHELLOPTS -u BASHOPTS -u BASH_ENV -u ENV bash +m "$kapi/up.sh"; }
  if ! KUBECONFIG="$(start_kapi)"; then
    echo "test:cluster: $kapi/up.sh failed once (log tails above); stopping what it started and trying again" >&2
    "$kapi/down.sh"; pkill -f -- "$KAPI_HOME/" || true; sleep 1
    KUBECONFIG="$(start_kapi)" || missing "$kapi/up.sh could not start the API server (its log tails are above; etcd comes from Debian's etcd-server)"
  fi
  export KUBECONFIG
  echo "== bundled kube-apiserver: KUBECONFIG=$KUBECONFIG"
else
  echo "== the cluster of KUBECONFIG=$KUBECONFIG"
fi
kubectl version >/dev/null || missing "the cluster of KUBECONFIG=$KUBECONFIG does not answer"

echo "== CRDs from $crds"
kubectl apply --server-side --force-conflicts -R -f "$crds" >/dev/null
kubectl wait --for=condition=established --timeout=60s crd --all >/dev/null

echo "== npm run synth (dist/examples)"
npx ts-node --swc examples/synth.ts >/dev/null

echo "== jest test/cluster"
npx jest --config test/cluster/jest.config.js --ci "$@"
echo "== test:cluster passed in $((SECONDS - start)) s"
