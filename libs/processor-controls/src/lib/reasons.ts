/** Result reason of a deprovision the mass-deprovision guard holds for an operator's decision. */
export const HELD_MASS_DEPROVISION = 'held-mass-deprovision';
/** Result reason of a deprovision of a change an operator rejected (`ops reject`): dropped, nothing sent. */
export const REJECTED_MASS_DEPROVISION = 'rejected-mass-deprovision';
/** Park reason (metrics, logs) of a tenant disabled in the tenants file or by `ops tenant disable`. */
export const TENANT_DISABLED_REASON = 'disabled';
