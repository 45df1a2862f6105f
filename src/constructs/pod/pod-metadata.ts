import { inputError, quote } from '../../core/errors';
import { validateAnnotations, validateLabels } from '../../core/names';
import { checkStringMap } from '../../core/prop-checks';
import { describeCredential, findCredentials } from '../../parsers/credentials';

/**
 * Pod labels and annotation keys that switch off or route around a service-mesh sidecar, so that the
 * pod's traffic escapes the mesh's egress policy (Istio's REGISTRY_ONLY) and mTLS: injection off,
 * interception off, ports or address ranges excluded from capture, a replaced proxy, Linkerd's equivalents.
 */
const MESH_BYPASS_KEYS: Array<{ key: RegExp; what: string }> = [
  { key: /^sidecar\.istio\.io\/inject$/, what: 'turns Istio sidecar injection on or off' },
  { key: /^traffic\.sidecar\.istio\.io\//, what: 'excludes traffic from (or limits) the Istio sidecar\'s capture' },
  { key: /^sidecar\.istio\.io\/(interceptionMode|proxyImage|bootstrapOverride|userVolume|userVolumeMount)$/, what: 'changes how the Istio sidecar intercepts traffic' },
  { key: /^proxy\.istio\.io\/config$/, what: 'overrides the Istio proxy configuration' },
  { key: /^(linkerd\.io\/inject|config\.linkerd\.io\/(skip-|enable-debug))/, what: 'turns the Linkerd proxy off or routes around it' },
  // A pod label of ambient mode: `none` takes the pod out of ztunnel's capture (the namespace decides, with its label).
  { key: /^istio\.io\/dataplane-mode$/, what: 'takes the pod in or out of Istio ambient mode' },
];

/**
 * Values of pod annotations that turn off the rewrite of the kubelet's HTTP, TCP and gRPC probes to the sidecar's agent
 * (port 15020). With STRICT mTLS the kubelet, which has no mesh identity, then cannot reach the app's port: HTTP probes
 * fail (the pod never becomes ready) and TCP probes succeed against the proxy whatever the app does.
 */
const PROBE_REWRITE_OFF: { [key: string]: RegExp } = {
  'sidecar.istio.io/rewriteAppHTTPProbers': /^(?!true$)/,
};

/** Pod annotations that weaken the container's confinement (the policy packs flag them; refuse them here). */
const CONFINEMENT_KEYS: Array<{ key: RegExp; what: string }> = [
  { key: /^container\.apparmor\.security\.beta\.kubernetes\.io\//, what: 'sets the AppArmor profile (the runtime default is what Pod Security allows)' },
  { key: /^seccomp\.security\.alpha\.kubernetes\.io\//, what: 'sets a seccomp profile (the baseline sets RuntimeDefault)' },
];

/** Refuses an annotation that turns the sidecar's probe rewrite off (see PROBE_REWRITE_OFF). */
function refuseProbeRewriteOff(where: string, what: string, key: string, value: string): void {
  const off = PROBE_REWRITE_OFF[key];
  if (off && off.test(value)) {
    throw inputError(
      where,
      `${what} ${quote(key)}: ${quote(value)} turns off the Istio sidecar's rewrite of the kubelet's probes; under STRICT mTLS the kubelet (no mesh identity) `
        + 'then cannot reach the port: HTTP probes fail and TCP probes only test the proxy',
      'remove it (the rewrite is on by default)',
    );
  }
}

function refuseKey(where: string, what: string, key: string): void {
  const bypass = MESH_BYPASS_KEYS.find((k) => k.key.test(key));
  if (bypass) {
    throw inputError(
      where,
      `${what} ${quote(key)} ${bypass.what}, which lets the pod's traffic bypass the mesh's egress policy and mTLS`,
      'remove it; open egress with EgressAllowlist, and leave injection to the namespace (istio-injection / istio.io/rev label)',
    );
  }
  const confinement = CONFINEMENT_KEYS.find((k) => k.key.test(key));
  if (confinement) {
    throw inputError(where, `${what} ${quote(key)} ${confinement.what}`, 'remove it: the hardened baseline already sets the security context');
  }
}

/**
 * Checks the labels a construct puts on its pods: valid keys and values, and none that switches off a mesh
 * sidecar (`sidecar.istio.io/inject` is also a label).
 */
export function validatePodLabels(where: string, what: string, labels: unknown): { [key: string]: string } {
  const map = checkStringMap(where, what, labels);
  // Credentials first: the label check would quote the value.
  refuseCredentials(where, 'label', map, 'labels are readable by anyone who can list the pods, and are copied into selectors and metrics');
  validateLabels(where, map);
  for (const key of Object.keys(map)) refuseKey(where, 'label', key);
  return map;
}

function refuseCredentials(where: string, what: string, map: { [key: string]: string }, fix: string): void {
  for (const [key, value] of Object.entries(map)) {
    const found = findCredentials(value, { name: key });
    if (found.length) {
      throw inputError(where, `${what} ${quote(key)} holds ${describeCredential(found[0])}, which would be written into the manifest in clear text`, `keep credentials in a Secret; ${fix}`);
    }
  }
}

/**
 * Checks the annotations a construct puts on its pods: valid keys, none that bypasses a mesh sidecar or
 * weakens confinement, and no literal credential in a value (named by its key and kind, never echoed).
 */
export function validatePodAnnotations(where: string, what: string, annotations: unknown): { [key: string]: string } {
  const map = validateAnnotations(where, checkStringMap(where, what, annotations));
  for (const key of Object.keys(map)) {
    refuseKey(where, 'annotation', key);
    refuseProbeRewriteOff(where, 'annotation', key, map[key]);
  }
  refuseCredentials(where, 'annotation', map, 'annotations are readable by anyone who can read the pod');
  return map;
}
