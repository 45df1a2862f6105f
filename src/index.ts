export * from './workloads/health-probe';
export * from './workloads/secure-deployment';
