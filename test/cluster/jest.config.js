// The cluster suite's jest configuration: the project's (package.json, from .projenrc.ts) for test/cluster/*.cluster.ts
// only, which `npm test` never matches. Run by test/cluster/run.sh (`npm run test:cluster`).
const { jest } = require('../../package.json');

module.exports = { ...jest, rootDir: '../..', testMatch: ['<rootDir>/test/cluster/**/*.cluster.ts'], testTimeout: 120000 };
