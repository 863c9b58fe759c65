import { provideTestKafka } from '@provisioning/kafka/testing';
import { provideTestRedis } from '@provisioning/redis/testing';

/**
 * Runs once per test run of a project that needs services: uses KAFKA_BROKERS / REDIS_URL when set
 * (`npm test` and CI set them), otherwise starts containers, and stops what it started.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const stops = [await provideTestKafka(process.env), await provideTestRedis(process.env)];
  return async () => {
    for (const stop of stops) await stop?.();
  };
}
