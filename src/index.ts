export * from './workloads/health-probe';
export * from './workloads/secure-deployment';
export * from './policy';
export * from './plugin/hardened-validation';
