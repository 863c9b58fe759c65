export { createKafkaClient } from './lib/kafka-client.ts';
export type { KafkaClientOptions } from './lib/kafka-client.ts';
export { ensureTopics } from './lib/topics.ts';
export type { TopicSpec } from './lib/topics.ts';
export { readRanges } from './lib/read-ranges.ts';
export type { PartitionRange, ReadRangesOptions } from './lib/read-ranges.ts';
export { kafkaAnswers } from './lib/probe.ts';
export type { ProbeOptions } from './lib/probe.ts';
