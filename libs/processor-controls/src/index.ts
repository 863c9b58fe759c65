export { PROCESSOR_DEFAULTS } from './lib/processor-defaults.ts';
export { ProcessorControls } from './lib/processor-controls.ts';
export { replayMarkerSchema, isForcedReplay } from './lib/replay-marker.ts';
export type { ReplayMarker } from './lib/replay-marker.ts';
export { CHANGE_DECISIONS, changeDecisionSchema, heldDeprovisionSchema, tenantDisabledSchema } from './lib/tenant-controls.ts';
export type { ChangeDecision, ChangeDecisionValue, HeldDeprovision, TenantDisabled } from './lib/tenant-controls.ts';
export { HELD_MASS_DEPROVISION, REJECTED_MASS_DEPROVISION } from './lib/reasons.ts';
export { userStateKey, userStatePattern, userIdOfStateKey } from './lib/user-records.ts';
