export { ConfigError } from './lib/config-error.ts';
export { deepFreeze } from './lib/deep-freeze.ts';
export type { DeepReadonly } from './lib/deep-freeze.ts';
export { parseConfig, readJsonFile, describeIssues } from './lib/parse-config.ts';
export { secretRefSchema, resolveSecret } from './lib/secrets.ts';
export type { SecretRef, Environment } from './lib/secrets.ts';
export { configReferenceRows, configReferenceMarkdown } from './lib/config-reference.ts';
export type { ConfigReferenceRow } from './lib/config-reference.ts';
export { writeOrCheckGenerated } from './lib/generated-file.ts';
