export { compareWithOracle, attributeDifferences } from './oracle/compare-with-oracle.ts';
export type { ObservedScimUser, OracleComparison } from './oracle/compare-with-oracle.ts';
export { readExpectedState } from './oracle/expected-state.ts';
export type { ExpectedTerranovaState, ExpectedScimUser } from './oracle/expected-state.ts';
