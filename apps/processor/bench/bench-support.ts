import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import type { TerranovaSim } from '@provisioning/terranova-sim';
import type { ExpectedUser } from './bench-data.ts';

/** Percentiles of a list of numbers (ms). */
export function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  if (values.length === 0) return { p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Peak resident memory of a process (VmHWM), in MB. */
export async function peakRssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0);
  return round(kb / 1024);
}

/** Produces messages in large batches (acks from all replicas). */
export async function produceAll(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 5_000) await producer.send({ topic, messages: messages.slice(i, i + 5_000), acks: -1 });
  await producer.disconnect();
}

/** Sum of a counter's samples in a Prometheus text exposition. */
export function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** How many users in Terranova hold exactly the expected final state. */
export function compareTerranova(sim: TerranovaSim, tenantId: string, expected: Map<string, ExpectedUser>): { users: number; matching: number } {
  const users = sim.admin.users(tenantId);
  let matching = 0;
  for (const user of users) {
    const want = expected.get(user.userName.toLowerCase());
    const familyName = (user['name'] as { familyName?: string } | undefined)?.familyName;
    if (want && want.familyName === familyName && want.active === (user['active'] !== false)) matching += 1;
  }
  return { users: users.length, matching };
}
