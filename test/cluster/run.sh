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
  KUBECONFIG="$("$kapi/up.sh")" || missing "$kapi/up.sh could not start the API server (its log tails are above; etcd comes from Debian's etcd-server)"
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
