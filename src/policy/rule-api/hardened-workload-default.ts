/** The construct hint of the rules that the hardened pod spec satisfies by default. */
export const HARDENED_WORKLOAD_DEFAULT = 'SecureDeployment and FlywayMigrationJob set it by default.';
