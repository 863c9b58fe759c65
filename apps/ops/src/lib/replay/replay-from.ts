import type { Admin } from 'kafkajs';
import { OpsError } from '../cli/ops-error.ts';

/** Where a replay starts: the beginning, a point in time, or an offset (one for every partition, or per partition). */
export type ReplayFrom =
  | { kind: 'earliest' }
  | { kind: 'timestamp'; at: Date }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'offsets'; byPartition: Map<number, bigint> };

/** Parses `--from`: `earliest`, an ISO timestamp, `123` (every partition), or `0:120,1:98`. */
export function parseReplayFrom(text: string): ReplayFrom {
  if (text === 'earliest') return { kind: 'earliest' };
  if (/^\d+$/.test(text)) return { kind: 'offset', offset: BigInt(text) };
  if (/^\d+:\d+(,\d+:\d+)*$/.test(text)) {
    return { kind: 'offsets', byPartition: new Map(text.split(',').map((pair) => pair.split(':').map(Number) as [number, number]).map(([p, o]) => [p, BigInt(o)])) };
  }
  const at = new Date(text);
  if (!Number.isNaN(at.getTime()) && /^\d{4}-\d{2}-\d{2}/.test(text)) return { kind: 'timestamp', at };
  throw new OpsError(`--from ${text}: expected earliest, an ISO timestamp, an offset, or partition:offset pairs`, 'USAGE');
}

const clamp = (value: bigint, low: bigint, high: bigint) => (value < low ? low : value > high ? high : value);

/** The offset each partition of the topic is reset to, clamped to what the topic still holds. */
export async function targetOffsets(admin: Admin, topic: string, from: ReplayFrom): Promise<Map<number, bigint>> {
  const bounds = await admin.fetchTopicOffsets(topic);
  if (from.kind === 'offsets') {
    const missing = [...from.byPartition.keys()].filter((partition) => !bounds.some((b) => b.partition === partition));
    if (missing.length > 0) throw new OpsError(`--from names partition ${missing.join(', ')}, but ${topic} has partitions 0-${bounds.length - 1}`, 'USAGE');
  }
  const targets = new Map<number, bigint>();
  const byTime = from.kind === 'timestamp' ? await admin.fetchTopicOffsetsByTimestamp(topic, from.at.getTime()) : [];
  for (const { partition, low, high } of bounds) {
    const [lowN, highN] = [BigInt(low), BigInt(high)];
    if (from.kind === 'earliest') targets.set(partition, lowN);
    else if (from.kind === 'offset') targets.set(partition, clamp(from.offset, lowN, highN));
    else if (from.kind === 'offsets') targets.set(partition, clamp(from.byPartition.get(partition) ?? highN, lowN, highN));
    else targets.set(partition, clamp(BigInt(byTime.find((entry) => entry.partition === partition)?.offset ?? high), lowN, highN));
  }
  return targets;
}
