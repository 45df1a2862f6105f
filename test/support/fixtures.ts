/** A hand-hardened Deployment in namespace `shop`, compliant with every built-in rule, to mutate in tests. */
export function hardenedDeployment(): any {
  const labels = { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app',
            image: 'ghcr.io/acme/web:1.4.2',
            ports: [{ containerPort: 8080 }],
            securityContext: {
              runAsNonRoot: true,
              readOnlyRootFilesystem: true,
              allowPrivilegeEscalation: false,
              privileged: false,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            readinessProbe: { tcpSocket: { port: 8080 } },
            livenessProbe: { tcpSocket: { port: 8080 } },
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/** What the hardened Deployment needs beside it: its NetworkPolicy (nothing in, DNS out) and PodDisruptionBudget. */
export function companions(): any[] {
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        podSelector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        // DNS only (K8S-DNS-REACHABLE): cluster DNS on UDP and TCP 53
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
        }],
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/instance': 'web' } } },
    },
  ];
}

/** The hardened Deployment with a change applied to its pod spec and first container. */
export function mutated(change: (pod: any, container: any, deployment: any) => void): any {
  const deployment = hardenedDeployment();
  change(deployment.spec.template.spec, deployment.spec.template.spec.containers[0], deployment);
  return deployment;
}
