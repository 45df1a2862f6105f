import type { INetworkPolicyPeer } from 'cdk8s-plus-27';
import { inputError } from '../../core/errors';
import type { NamespaceMesh } from '../base/namespace-mesh';

/**
 * Who a network-policy peer is to the mesh: a ServiceAccount (a workload of the app), namespaces by name, an IP
 * block, or nothing the mesh can name (a bare pod selector: pods have no mesh identity of their own, only their
 * ServiceAccount; namespaces chosen by labels). Resolved to Istio `source` fields by the workload that admits the
 * peer, once it knows its namespace's mesh.
 */
export interface MeshSource {
  /** A ServiceAccount: its namespace (undefined: the admitting workload's) and name. */
  readonly serviceAccount?: { readonly namespace?: string; readonly name: string };
  /** Namespaces by name (undefined entries: the admitting workload's). */
  readonly namespaces?: Array<string | undefined>;
  /** An IP block and its exceptions. */
  readonly ipBlock?: { readonly cidr: string; readonly except: string[] };
  /** Why the mesh cannot name the peer (refused in a meshed namespace), and the fix. */
  readonly unmappable?: { readonly problem: string; readonly fix: string };
}

/** A workload of the app whose pods run as a known ServiceAccount (HardenedWorkload implements it). */
interface MeshIdentified {
  _meshIdentity(): { readonly namespace?: string; readonly serviceAccountName: string };
}

function isMeshIdentified(peer: unknown): peer is MeshIdentified {
  return typeof (peer as Partial<MeshIdentified>)?._meshIdentity === 'function';
}

/**
 * The mesh source of a peer (already checked by `toKubePeers`): a workload of the app by its ServiceAccount, an
 * ipBlock as `ipBlocks`/`notIpBlocks`, `Namespaces.select` by names as `namespaces`, every pod of the namespace
 * (`Pods.all()`, the default peer) as that namespace. Anything else is unmappable.
 */
export function meshSource(what: string, peer: INetworkPolicyPeer): MeshSource {
  if (isMeshIdentified(peer)) {
    const identity = peer._meshIdentity();
    return { serviceAccount: { namespace: identity.namespace, name: identity.serviceAccountName } };
  }
  const config = peer.toNetworkPolicyPeerConfig();
  if (config.ipBlock) return { ipBlock: { cidr: config.ipBlock.cidr, except: [...config.ipBlock.except ?? []] } };
  const selector = config.podSelector;
  if (selector && selector.labelSelector.isEmpty()) {
    const namespaces = selector.namespaces;
    if (!namespaces) return { namespaces: [undefined] };
    const names = namespaces.names ?? [];
    const byLabels = namespaces.labelSelector && (!namespaces.labelSelector.isEmpty() || names.length === 0);
    if (names.length > 0 && !byLabels) return { namespaces: [...names] };
  }
  const path = (peer as { node?: { path?: string } }).node?.path;
  const name = path ? `${what} ${path}` : what;
  return {
    unmappable: {
      problem: `${name} selects pods or namespaces by labels, which the mesh cannot name: Istio authorizes a peer by its ServiceAccount `
        + '(principal) or namespace name, and a label selector has neither',
      fix: 'name the workload itself (a SecureDeployment, SecureStatefulSet or PostgresDatabase: its ServiceAccount becomes the principal), '
        + 'or its namespace by name (Namespaces.select(scope, id, { names: [...] }))',
    },
  };
}

/** One `from` entry of an AuthorizationPolicy rule. */
export interface MeshFrom {
  readonly source: { [key: string]: string[] };
}

/** The Istio `from` entries of an AuthorizationPolicy rule admitting the sources (refusing the unmappable ones). */
export function meshFrom(where: string, mesh: NamespaceMesh, namespace: string, sources: MeshSource[]): MeshFrom[] {
  const principals = new Set<string>();
  const namespaces = new Set<string>();
  const blocks: MeshFrom[] = [];
  for (const source of sources) {
    if (source.unmappable) throw inputError(where, `in a namespace with a mesh: ${source.unmappable.problem}`, source.unmappable.fix);
    if (source.serviceAccount) principals.add(mesh._principal(where, source.serviceAccount.namespace ?? namespace, source.serviceAccount.name));
    for (const name of source.namespaces ?? []) namespaces.add(name ?? namespace);
    if (source.ipBlock) {
      const except: { [key: string]: string[] } = source.ipBlock.except.length ? { notIpBlocks: [...source.ipBlock.except] } : {};
      blocks.push({ source: { ipBlocks: [source.ipBlock.cidr], ...except } });
    }
  }
  return [
    ...(principals.size ? [{ source: { principals: [...principals].sort() } }] : []),
    ...(namespaces.size ? [{ source: { namespaces: [...namespaces].sort() } }] : []),
    ...blocks,
  ];
}
