import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { OrderedConsumer, type OrderedConsumerOptions } from '../src/lib/engine/ordered-consumer.ts';
import type { GroupGate, WorkHandler, WorkItem } from '../src/lib/engine/work-item.ts';
import { KafkaFixture } from './support/kafka-fixture.ts';

const FAST_CONSUMER = { maxWaitTimeMs: 100, heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 15_000 };

/** Messages over `keys` keys (`<tenant>:u<n>`), each value naming its key and its sequence number within the key. */
function keyedMessages(count: number, keys: number, tenant: (k: number) => string = (k) => (k % 2 === 0 ? 'a' : 'b')) {
  const seq = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const key = `${tenant(i % keys)}:u${i % keys}`;
    const n = seq.get(key) ?? 0;
    seq.set(key, n + 1);
    return { key, value: JSON.stringify({ key, n }) };
  });
}

const seqOf = (item: WorkItem) => (JSON.parse(String(item.message.value)) as { n: number }).n;

class TestGate implements GroupGate {
  readonly closed = new Set<string>();
  private readonly listeners: ((group: string, open: boolean) => void)[] = [];
  isOpen = (group: string) => !this.closed.has(group);
  onChange(listener: (group: string, open: boolean) => void) {
    this.listeners.push(listener);
    return () => undefined;
  }
  open(group: string) {
    this.closed.delete(group);
    for (const listener of this.listeners) listener(group, true);
  }
}

describe('engine > key-ordered consumption on a real broker', () => {
  const kafka = new KafkaFixture();
  const running: OrderedConsumer[] = [];

  beforeAll(() => kafka.connect());
  afterEach(async () => {
    await Promise.all(running.splice(0).map((c) => c.stop(5_000)));
  });
  afterAll(() => kafka.close());

  async function start(options: Omit<OrderedConsumerOptions, 'kafka' | 'logger'>) {
    const consumer = new OrderedConsumer({ kafka: kafka.kafka, logger: silentLogger(), ...options, consumer: { ...FAST_CONSUMER, ...options.consumer } });
    running.push(consumer);
    await consumer.start();
    return consumer;
  }

  async function expectCommittedToEnd(groupId: string, topic: string) {
    const ends = await kafka.ends(topic);
    await expect.poll(async () => Object.fromEntries(await kafka.committed(groupId, topic)), { timeout: 15_000 }).toEqual(Object.fromEntries(ends));
  }

  it('keeps each key in order, runs keys in parallel, and commits everything', async () => {
    const topic = await kafka.topic('engine-order', 4);
    const groupId = kafka.group('engine-order');
    await kafka.produce(topic, keyedMessages(800, 80));
    const seen = new Map<string, number[]>();
    let active = 0;
    let maxActive = 0;
    const handler: WorkHandler = async (item) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(Math.random() * 5);
      seen.set(item.key, [...(seen.get(item.key) ?? []), seqOf(item)]);
      active -= 1;
      return 'done';
    };
    await start({ groupId, topic, handler, limits: { maxInFlight: 32 } });
    await expect.poll(() => [...seen.values()].reduce((n, s) => n + s.length, 0), { timeout: 30_000 }).toBe(800);
    for (const sequence of seen.values()) expect(sequence).toEqual([...sequence.keys()]);
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(32);
    await expectCommittedToEnd(groupId, topic);
  });

  it('commits only the contiguous prefix while an earlier event is still running', async () => {
    const topic = await kafka.topic('engine-prefix', 1);
    const groupId = kafka.group('engine-prefix');
    await kafka.produce(topic, keyedMessages(50, 50));
    let release!: () => void;
    const blocker = new Promise<void>((resolve) => (release = resolve));
    let done = 0;
    const handler: WorkHandler = async (item) => {
      if (item.offset === 10) await blocker;
      done += 1;
      return 'done';
    };
    const consumer = await start({ groupId, topic, handler, limits: { commitIntervalMs: 100 } });
    await expect.poll(() => done, { timeout: 20_000 }).toBe(49);
    await consumer.commit();
    await expect.poll(async () => (await kafka.committed(groupId, topic)).get(0), { timeout: 5_000 }).toBe(10);
    release();
    await expectCommittedToEnd(groupId, topic);
  });

  it('pauses fetching when memory is full and never holds more than the limit', async () => {
    const topic = await kafka.topic('engine-pause', 2);
    const groupId = kafka.group('engine-pause');
    await kafka.produce(topic, keyedMessages(600, 600));
    const engine: { consumer?: OrderedConsumer } = {};
    let peak = 0;
    let handled = 0;
    const handler: WorkHandler = async () => {
      peak = Math.max(peak, engine.consumer?.stats().pending ?? 0);
      await sleep(2);
      handled += 1;
      return 'done';
    };
    engine.consumer = await start({ groupId, topic, handler, limits: { maxPending: 40, maxPendingPerPartition: 30, maxInFlight: 8 } });
    await expect.poll(() => handled, { timeout: 30_000 }).toBe(600);
    expect(peak).toBeLessThanOrEqual(40);
    expect(peak).toBeGreaterThan(8);
    await expectCommittedToEnd(groupId, topic);
  });

  it('holds a parked tenant (deferring past its budget) while the others flow, then catches up in order', async () => {
    const topic = await kafka.topic('engine-park', 1);
    const groupId = kafka.group('engine-park');
    const gate = new TestGate();
    gate.closed.add('p');
    await kafka.produce(topic, keyedMessages(120, 12, (k) => (k % 3 === 0 ? 'p' : 'q')));
    const runs = new Map<number, number>();
    const seen = new Map<string, number[]>();
    const handler: WorkHandler = async (item) => {
      if (!gate.isOpen(item.group)) return 'blocked';
      runs.set(item.offset, (runs.get(item.offset) ?? 0) + 1);
      seen.set(item.key, [...(seen.get(item.key) ?? []), seqOf(item)]);
      return 'done';
    };
    const consumer = await start({ groupId, topic, handler, gate, limits: { maxPendingPerTenant: 4, commitIntervalMs: 100 } });
    await expect.poll(() => runs.size, { timeout: 20_000 }).toBe(80);
    expect(consumer.stats().deferred).toBeGreaterThan(0);
    expect(consumer.stats().pending).toBeLessThanOrEqual(4);
    await consumer.commit();
    expect((await kafka.committed(groupId, topic)).get(0)).toBe(0);

    gate.open('p');
    await expect.poll(() => runs.size, { timeout: 20_000 }).toBe(120);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    for (const sequence of seen.values()) expect(sequence).toEqual([...sequence.keys()]);
    await expectCommittedToEnd(groupId, topic);
  });

  it('a tenant over its budget that drains fast only slows reading down: nothing is deferred or read twice', async () => {
    const topic = await kafka.topic('engine-budget-fast', 1);
    const groupId = kafka.group('engine-budget-fast');
    await kafka.produce(topic, keyedMessages(300, 300, () => 'f'));
    const engine: { consumer?: OrderedConsumer } = {};
    const runs = new Map<number, number>();
    let maxDeferred = 0;
    const handler: WorkHandler = async (item) => {
      maxDeferred = Math.max(maxDeferred, engine.consumer?.stats().deferred ?? 0);
      await sleep(2);
      runs.set(item.offset, (runs.get(item.offset) ?? 0) + 1);
      return 'done';
    };
    engine.consumer = await start({ groupId, topic, handler, limits: { maxPendingPerTenant: 20, stuckAfterMs: 60_000 } });
    await expect.poll(() => runs.size, { timeout: 30_000 }).toBe(300);
    expect(maxDeferred).toBe(0);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('a tenant stuck over its budget is deferred after stuckAfterMs, so the others on its partition flow', async () => {
    const topic = await kafka.topic('engine-budget-stuck', 1);
    const groupId = kafka.group('engine-budget-stuck');
    await kafka.produce(topic, keyedMessages(90, 9, (k) => (k % 3 === 0 ? 's' : 'q')));
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const seen = new Map<string, number[]>();
    const handler: WorkHandler = async (item) => {
      if (item.group === 's') await stuck;
      seen.set(item.key, [...(seen.get(item.key) ?? []), seqOf(item)]);
      return 'done';
    };
    const consumer = await start({ groupId, topic, handler, limits: { maxPendingPerTenant: 4, stuckAfterMs: 300 } });
    const done = (tenant: string) => [...seen].filter(([key]) => key.startsWith(`${tenant}:`)).reduce((n, [, s]) => n + s.length, 0);
    await expect.poll(() => done('q'), { timeout: 20_000 }).toBe(60);
    expect(done('s')).toBe(0);
    expect(consumer.stats().deferred).toBeGreaterThan(0);
    release();
    await expect.poll(() => done('s'), { timeout: 20_000 }).toBe(30);
    for (const sequence of seen.values()) expect(sequence).toEqual([...sequence.keys()]);
    await expectCommittedToEnd(groupId, topic);
  });

  it('shares partitions with a second consumer in the group and loses nothing across the rebalance', async () => {
    const topic = await kafka.topic('engine-rebalance', 4);
    const groupId = kafka.group('engine-rebalance');
    await kafka.produce(topic, keyedMessages(400, 100));
    const done = new Set<string>();
    const byConsumer = [new Set<number>(), new Set<number>()];
    const handler = (index: number): WorkHandler => async (item) => {
      await sleep(25);
      done.add(`${item.partition}/${item.offset}`);
      byConsumer[index]!.add(item.partition);
      return 'done';
    };
    await start({ groupId, topic, handler: handler(0), limits: { maxInFlight: 4, commitIntervalMs: 200 } });
    await expect.poll(() => done.size, { timeout: 20_000 }).toBeGreaterThan(20);
    await start({ groupId, topic, handler: handler(1), limits: { maxInFlight: 4, commitIntervalMs: 200 } });
    await expect.poll(() => done.size, { timeout: 60_000 }).toBe(400);
    expect(byConsumer[1]!.size).toBeGreaterThan(0);
    await expectCommittedToEnd(groupId, topic);
  });

  it('on stop lets running events finish, commits them, and starts nothing new', async () => {
    const topic = await kafka.topic('engine-stop', 1);
    const groupId = kafka.group('engine-stop');
    await kafka.produce(topic, keyedMessages(100, 100));
    const started: number[] = [];
    const finished: number[] = [];
    const handler: WorkHandler = async (item, context) => {
      started.push(item.offset);
      await sleep(300);
      if (!context.signal.aborted) finished.push(item.offset);
      return 'done';
    };
    const consumer = await start({ groupId, topic, handler, limits: { maxInFlight: 5 } });
    await expect.poll(() => started.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(5);
    await consumer.stop(5_000);
    expect(finished.sort((a, b) => a - b)).toEqual(started.sort((a, b) => a - b));
    const committed = (await kafka.committed(groupId, topic)).get(0) ?? -1;
    expect(committed).toBe(Math.min(...Array.from({ length: 101 }, (_, i) => i).filter((o) => !finished.includes(o))));
  });
});
