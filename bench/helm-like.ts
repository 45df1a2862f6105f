// A multi-document manifest stream like `helm template` output, of about the size asked: per release a
// Deployment, a Service, a ConfigMap (with a script and a JSON file), a ServiceAccount, an HPA and, one in four, a
// `kind: List` of a Role and a RoleBinding. Every document opens with `---` and a `# Source:` comment, as Helm writes.

/** About `bytes` of Helm-like YAML (whole releases, so a little more), the same text for the same size. */
export function helmLikeManifests(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const release = helmRelease(i);
    parts.push(release);
    size += release.length;
  }
  return parts.join('');
}

function helmRelease(i: number): string {
  const name = `app-${i}`;
  const labels = `    app.kubernetes.io/name: ${name}
    app.kubernetes.io/instance: release-${i}
    app.kubernetes.io/version: "1.${i % 10}.0"
    app.kubernetes.io/managed-by: Helm
    helm.sh/chart: app-0.${i % 7}.${i % 3}`;
  const documents = [`---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels:
${labels}
automountServiceAccountToken: false
`, `---
# Source: app/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}-config
  namespace: team-${i % 20}
  labels:
${labels}
data:
  LOG_LEVEL: "info"
  WORKERS: "${1 + (i % 8)}"
  entrypoint.sh: |
    #!/bin/sh
    set -eu
    echo "starting ${name}" >&2
    exec /app/server --config /etc/app/config.json --port 8080
  config.json: |-
    {"listen": ":8080", "upstreams": ["http://backend-${i}.team-${i % 20}.svc:9000"], "timeoutSeconds": 30}
`, `---
# Source: app/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels:
${labels}
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
      protocol: TCP
      name: http
  selector:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/instance: release-${i}
`, `---
# Source: app/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${i % 20}
  labels:
${labels}
  annotations:
    checksum/config: ${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(8)}
spec:
  replicas: ${1 + (i % 3)}
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
      app.kubernetes.io/instance: release-${i}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/instance: release-${i}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: "registry.example.com/team-${i % 20}/app:1.${i % 10}.${i % 13}"
          imagePullPolicy: IfNotPresent
          command: ["/bin/sh", "/scripts/entrypoint.sh"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: APP_NAME
              value: ${name}
            - name: FEATURE_FLAGS
              value: "search,cart,checkout"
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
            periodSeconds: 10
          readinessProbe:
            httpGet:
              path: /ready
              port: http
          resources:
            limits:
              cpu: 500m
              memory: 256Mi
            requests:
              cpu: 100m
              memory: 128Mi
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
          volumeMounts:
            - name: config
              mountPath: /etc/app
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: ${name}-config
        - name: tmp
          emptyDir: {}
`, `---
# Source: app/templates/hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${name}
  namespace: team-${i % 20}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${name}
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 80
`];
  if (i % 4 === 0) {
    documents.push(`---
# Source: app/templates/rbac.yaml
apiVersion: v1
kind: List
items:
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: Role
    metadata:
      name: ${name}
      namespace: team-${i % 20}
    rules:
      - apiGroups: [""]
        resources: ["configmaps"]
        verbs: ["get", "list", "watch"]
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: RoleBinding
    metadata:
      name: ${name}
      namespace: team-${i % 20}
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: Role
      name: ${name}
    subjects:
      - kind: ServiceAccount
        name: ${name}
        namespace: team-${i % 20}
`);
  }
  return documents.join('');
}
