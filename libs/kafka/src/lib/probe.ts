import { Kafka, logLevel } from 'kafkajs';

export interface ProbeOptions {
  /** @defaultValue 1_000 ms */
  connectionTimeoutMs?: number;
  /** @defaultValue 3_000 ms */
  requestTimeoutMs?: number;
}

/**
 * True when the brokers answer a real question (list topics), not only an open port; never throws. No retries and
 * short timeouts: callers poll, and a refused connection should fail fast.
 */
export async function kafkaAnswers(brokers: readonly string[], options: ProbeOptions = {}): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'probe',
    brokers: [...brokers],
    connectionTimeout: options.connectionTimeoutMs ?? 1_000,
    requestTimeout: options.requestTimeoutMs ?? 3_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
