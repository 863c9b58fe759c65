import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  /** @defaultValue 12 */
  numPartitions?: number;
  /** @defaultValue 1 (a single local broker); production clusters use 3 */
  replicationFactor?: number;
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  configs?: Readonly<Record<string, string>>;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. Returns the created names. */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((spec) => ({
      topic: spec.topic,
      numPartitions: spec.numPartitions ?? 12,
      replicationFactor: spec.replicationFactor ?? 1,
      configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
    })),
  });
  return missing.map((spec) => spec.topic);
}
