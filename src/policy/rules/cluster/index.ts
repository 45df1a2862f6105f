import { HpaReplicasRule } from './hpa-replicas';
import { LimitRangeRule } from './limit-range';
import { PdbEvictionRule } from './pdb-eviction';
import { QuotaServiceTypeRule } from './quota-service-type';
import { SelectorMatchesRule } from './selector-matches';

export { HpaReplicasRule } from './hpa-replicas';
export { LimitRangeRule } from './limit-range';
export { PdbEvictionRule } from './pdb-eviction';
export { QuotaServiceTypeRule } from './quota-service-type';
export { SelectorMatchesRule } from './selector-matches';

/**
 * Cross-object rules that judge the whole set of objects the way the cluster will: ResourceQuota and
 * LimitRange admission, the disruption controller, the autoscaler, and selectors that must find pods.
 * Each run builds its own indexes: the rules keep no state between evaluations.
 */
export const CLUSTER_FIT_RULES = [
  new QuotaServiceTypeRule(), new LimitRangeRule(), new PdbEvictionRule(), new HpaReplicasRule(), new SelectorMatchesRule(),
];
