export { startTerranovaSim } from './lib/start.ts';
export type { TerranovaSim, TerranovaSimOptions } from './lib/start.ts';
export { SimAdmin } from './lib/admin.ts';
export type { TenantConfig } from './lib/tenant.ts';
export type { FaultPlan, FaultSelector } from './lib/faults.ts';
export type { RequestLogSnapshot, LoggedRequest, UserNameCounts } from './lib/request-log.ts';
export type { StoredUser, InsertOptions } from './lib/user-store.ts';
export { DEFAULT_ROLE } from './lib/user-rules.ts';
export { seededRandom } from './lib/faults.ts';
