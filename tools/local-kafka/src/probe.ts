// Asks the broker a real question (list topics) through kafkajs, the client the apps use.
import { Kafka, logLevel } from 'kafkajs';

/** True when 127.0.0.1:<port> answers admin.listTopics(); never throws. */
export async function brokerAnswers(port: number): Promise<boolean> {
  // No retries and short timeouts: the caller polls, and a refused connection should fail fast.
  const kafka = new Kafka({
    clientId: 'local-kafka-probe',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 3000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
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
