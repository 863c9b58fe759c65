export { createRootLogger, silentLogger, REDACTED_PATHS } from './lib/logger.ts';
export type { Logger, RootLoggerOptions } from './lib/logger.ts';
