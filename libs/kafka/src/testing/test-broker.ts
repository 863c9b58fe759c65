import { randomUUID } from 'node:crypto';

/** Started once per test run by the global setup when `KAFKA_BROKERS` is not set (people with Docker). */
const CONTAINER_IMAGE = 'confluentinc/cp-kafka:7.9.0';

/**
 * The brokers tests talk to: `KAFKA_BROKERS` when set (CI and `npm test` start the local broker and set it),
 * otherwise a Kafka container started with testcontainers.
 * @returns a stop function for the container, or undefined when nothing was started
 */
export async function provideTestKafka(env: NodeJS.ProcessEnv): Promise<(() => Promise<void>) | undefined> {
  if (env['KAFKA_BROKERS']) return undefined;
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const container = await new KafkaContainer(CONTAINER_IMAGE).withKraft().start();
  env['KAFKA_BROKERS'] = `${container.getHost()}:${container.getMappedPort(9093)}`;
  return async () => {
    await container.stop();
  };
}

/** The broker list for this test process. */
export function testKafkaBrokers(): string[] {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run tests with `npm test`, which starts a broker');
  return brokers.split(',').map((b) => b.trim());
}

/** A name no other test uses, for topics and consumer groups. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 12)}`;
}
