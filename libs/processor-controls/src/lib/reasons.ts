/** Result reason of a deprovision the mass-deprovision guard holds for an operator's decision. */
export const HELD_MASS_DEPROVISION = 'held-mass-deprovision';
/** Result reason of a deprovision of a change an operator rejected (`ops reject`): dropped, nothing sent. */
export const REJECTED_MASS_DEPROVISION = 'rejected-mass-deprovision';
