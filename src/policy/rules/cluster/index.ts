import { DnsReachableRule } from './dns-reachable';
import { HpaReplicasRule } from './hpa-replicas';
import { LimitRangeRule } from './limit-range';
import { MetadataUnreachableRule } from './metadata-unreachable';
import { MigrationReachesDatabaseRule } from './migration-reaches-database';
import { PdbEvictionRule } from './pdb-eviction';
import { QuotaServiceTypeRule } from './quota-service-type';
import { ReferencesResolveRule } from './references-resolve';
import { SelectorMatchesRule } from './selector-matches';

export { DnsReachableRule } from './dns-reachable';
export { HpaReplicasRule } from './hpa-replicas';
export { LimitRangeRule } from './limit-range';
export { MetadataUnreachableRule } from './metadata-unreachable';
export { MigrationReachesDatabaseRule } from './migration-reaches-database';
export { PdbEvictionRule } from './pdb-eviction';
export { QuotaServiceTypeRule } from './quota-service-type';
export { ReferencesResolveRule } from './references-resolve';
export { SelectorMatchesRule } from './selector-matches';

/**
 * Cross-object rules that judge the whole set of objects the way the cluster will: ResourceQuota and
 * LimitRange admission, the disruption controller, the autoscaler, selectors that must find pods, and names that
 * must find objects (in the set, or declared as prerequisites), and connections the app needs or must not have, judged
 * through every network policy layer (policy/reachability/: DNS, a migration's database, the cloud metadata addresses).
 * Each run builds its own indexes (the connection queries once per evaluation, shared through EvaluationFacts): the
 * rules keep no state between evaluations.
 */
export const CLUSTER_FIT_RULES = [
  new QuotaServiceTypeRule(), new LimitRangeRule(), new PdbEvictionRule(), new HpaReplicasRule(), new SelectorMatchesRule(),
  new ReferencesResolveRule(), new DnsReachableRule(), new MigrationReachesDatabaseRule(), new MetadataUnreachableRule(),
];
