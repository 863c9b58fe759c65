import { pino, type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

/**
 * Paths pino censors in every log line. Secrets may sit in config objects, HTTP headers or errors,
 * so the common names are covered at any depth we log (pino's wildcards match one level).
 */
export const REDACTED_PATHS: readonly string[] = [
  'token', '*.token', '*.*.token',
  'apiKey', '*.apiKey', '*.*.apiKey',
  'secret', '*.secret', '*.*.secret', 'webhookSecret', '*.webhookSecret',
  'password', '*.password',
  'authorization', '*.authorization', '*.*.authorization', 'headers["x-api-key"]', '*.headers["x-api-key"]',
];

export interface RootLoggerOptions {
  /** The app's name, on every line. */
  name: string;
  /** @defaultValue 'info' */
  level?: LevelWithSilent;
  /** Where lines go; @defaultValue stdout. Tests pass a stream to read lines back. */
  destination?: DestinationStream;
}

/** The one root logger of an app; everything else takes `logger.child({ component, ... })`. */
export function createRootLogger(options: RootLoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that writes nothing, for tests and libraries used without one. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export type { Logger };
