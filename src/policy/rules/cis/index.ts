import { ClusterAdminRule } from './cluster-admin';
import { CsrApprovalRule } from './csr-approval';
import { EscalationVerbsRule } from './escalation-verbs';
import { NodeProxyRule } from './node-proxy';
import { PodCreateRule } from './pod-create';
import { PodCreateNamespacedRule } from './pod-create-namespaced';
import { PublicSubjectsRule } from './public-subjects';
import { SecretsReadRule } from './secrets-read';
import { SystemMastersRule } from './system-masters';
import { TokenCreateRule } from './token-create';
import { WebhookConfigRule } from './webhook-config';

/**
 * CIS Kubernetes Benchmark, section 5.1 (RBAC and Service Accounts): the controls a set of manifests can
 * be judged on. 5.1.3 (wildcards) is NSA-RBAC-WILDCARD of the nsa-cisa pack; 5.1.5 and 5.1.6 (service
 * accounts) and 5.1.9 (persistent volumes) are not here.
 */
export const CIS_RBAC_RULES = [
  new ClusterAdminRule(), new SecretsReadRule(), new PodCreateRule(), new PodCreateNamespacedRule(), new SystemMastersRule(),
  new PublicSubjectsRule(), new EscalationVerbsRule(), new NodeProxyRule(), new CsrApprovalRule(), new WebhookConfigRule(),
  new TokenCreateRule(),
];
