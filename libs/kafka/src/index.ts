export { createKafkaClient } from './lib/kafka-client.ts';
export type { KafkaClientOptions } from './lib/kafka-client.ts';
export { ensureTopics } from './lib/topics.ts';
export type { TopicSpec } from './lib/topics.ts';
