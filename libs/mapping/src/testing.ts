// Test helpers: property-test generators for the managed Terranova attributes.
export { terranovaUserArbitrary } from './testing/arbitraries.ts';
