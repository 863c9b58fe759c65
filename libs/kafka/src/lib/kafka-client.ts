import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

export interface KafkaClientOptions {
  /** `host:port` list of bootstrap brokers. */
  brokers: readonly string[];
  /** Shown in broker logs and quotas. */
  clientId: string;
  /** kafkajs lines go to a child of this logger. */
  logger: Logger;
  /** @defaultValue 10_000 ms */
  connectionTimeoutMs?: number;
}

const PINO_LEVEL: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
  [logLevel.NOTHING]: 'debug',
};

/** Routes kafkajs's own log lines into pino, so an app has one log stream. */
function pinoLogCreator(logger: Logger): logCreator {
  return () =>
    ({ namespace, level, log }: LogEntry) => {
      const { message, ...fields } = log;
      logger[PINO_LEVEL[level] ?? 'info']({ kafkaNamespace: namespace, ...fields }, message);
    };
}

/** A kafkajs client wired to our logger; kafkajs logs below WARN are dropped (they are chatty). */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 10_000,
    logLevel: logLevel.WARN,
    logCreator: pinoLogCreator(options.logger.child({ component: 'kafkajs' })),
  });
}
