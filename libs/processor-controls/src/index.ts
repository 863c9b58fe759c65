export { PROCESSOR_DEFAULTS } from './lib/processor-defaults.ts';
export { ProcessorControls } from './lib/processor-controls.ts';
export { replayMarkerSchema, isForcedReplay } from './lib/replay-marker.ts';
export type { ReplayMarker } from './lib/replay-marker.ts';
