import { describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { KeyScheduler, type KeySchedulerOptions } from './key-scheduler.ts';
import type { GroupGate, WorkItem, WorkVerdict } from './work-item.ts';

function item(key: string, offset: number, partition = 0): WorkItem {
  const group = key.split(':')[0] ?? key;
  return { topic: 't', partition, offset, key, group, message: { offset: String(offset) } as WorkItem['message'], receivedAt: 0 };
}

/** A gate tests can open and close. */
class TestGate implements GroupGate {
  readonly closed = new Set<string>();
  private listeners: ((group: string, open: boolean) => void)[] = [];
  isOpen(group: string) {
    return !this.closed.has(group);
  }
  onChange(listener: (group: string, open: boolean) => void) {
    this.listeners.push(listener);
    return () => undefined;
  }
  set(group: string, open: boolean) {
    if (open) this.closed.delete(group);
    else this.closed.add(group);
    for (const listener of this.listeners) listener(group, open);
  }
}

/** A handler whose calls the test finishes by hand. */
function manualHandler() {
  const calls: { item: WorkItem; finish: (verdict: WorkVerdict | Error) => void }[] = [];
  const handler = (work: WorkItem) =>
    new Promise<WorkVerdict>((resolve, reject) => {
      calls.push({ item: work, finish: (v) => (v instanceof Error ? reject(v) : resolve(v)) });
    });
  return { calls, handler };
}

function scheduler(overrides: Partial<KeySchedulerOptions>) {
  const done: WorkItem[] = [];
  const instance = new KeyScheduler({
    handler: async () => 'done',
    gate: new TestGate(),
    maxInFlight: 10,
    maxInFlightPerGroup: 10,
    retryInitialMs: 1,
    retryMaxMs: 5,
    logger: silentLogger(),
    onDone: (work) => done.push(work),
    onGroupSettled: () => undefined,
    ...overrides,
  });
  return { instance, done };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('engine > key scheduler', () => {
  it('runs one key strictly in order and different keys at once', async () => {
    const { calls, handler } = manualHandler();
    const { instance, done } = scheduler({ handler });
    instance.enqueue(item('a:1', 0));
    instance.enqueue(item('a:1', 1));
    instance.enqueue(item('a:2', 2));
    expect(calls.map((c) => c.item.offset)).toEqual([0, 2]);
    calls[1]!.finish('done');
    await tick();
    expect(calls).toHaveLength(2);
    calls[0]!.finish('done');
    await tick();
    expect(calls.map((c) => c.item.offset)).toEqual([0, 2, 1]);
    calls[2]!.finish('done');
    await tick();
    expect(done.map((d) => d.offset)).toEqual([2, 0, 1]);
    expect(instance.pending).toBe(0);
  });

  it('keeps the in-flight window and the per-tenant window', async () => {
    const { calls, handler } = manualHandler();
    const { instance } = scheduler({ handler, maxInFlight: 3, maxInFlightPerGroup: 2 });
    for (let i = 0; i < 5; i++) instance.enqueue(item(`a:${i}`, i));
    for (let i = 0; i < 5; i++) instance.enqueue(item(`b:${i}`, 10 + i));
    expect(instance.inFlight).toBe(3);
    const running = (group: string) => calls.filter((c) => c.item.group === group).length;
    expect(running('a')).toBe(2);
    expect(running('b')).toBe(1);
    calls[0]!.finish('done');
    await tick();
    expect(instance.inFlight).toBe(3);
    // Tenants take turns: the freed slot goes to the tenant with fewer running.
    expect(running('b')).toBe(2);
  });

  it('holds a closed tenant without a slot and runs it again in order once open', async () => {
    const gate = new TestGate();
    const { calls, handler } = manualHandler();
    const { instance, done } = scheduler({ handler, gate });
    instance.enqueue(item('a:1', 0));
    instance.enqueue(item('a:1', 1));
    gate.set('a', false);
    calls[0]!.finish('blocked');
    await tick();
    instance.enqueue(item('b:1', 2));
    expect(instance.inFlight).toBe(1);
    expect(calls.map((c) => c.item.offset)).toEqual([0, 2]);
    gate.set('a', true);
    expect(calls.map((c) => c.item.offset)).toEqual([0, 2, 0]);
    calls[2]!.finish('done');
    await tick();
    calls[3]!.finish('done');
    calls[1]!.finish('done');
    await tick();
    expect(done.map((d) => d.offset).sort()).toEqual([0, 1, 2]);
    expect(calls.filter((c) => c.item.offset === 1)).toHaveLength(1);
  });

  it('retries a failing item with backoff and keeps its key behind it', async () => {
    let failures = 2;
    const order: number[] = [];
    const { instance, done } = scheduler({
      handler: async (work) => {
        order.push(work.offset);
        if (work.offset === 0 && failures-- > 0) throw new Error('transient');
        return 'done';
      },
    });
    instance.enqueue(item('a:1', 0));
    instance.enqueue(item('a:1', 1));
    await expect.poll(() => done.length).toBe(2);
    expect(order).toEqual([0, 0, 0, 1]);
  });

  it('drops the queued items of a revoked partition but lets the running one finish', async () => {
    const { calls, handler } = manualHandler();
    const { instance, done } = scheduler({ handler });
    instance.enqueue(item('a:1', 0, 3));
    instance.enqueue(item('a:1', 1, 3));
    instance.enqueue(item('a:2', 0, 4));
    expect(instance.dropPartition('t', 3)).toBe(1);
    calls[0]!.finish('done');
    await tick();
    expect(calls.map((c) => c.item.partition)).toEqual([3, 4]);
    expect(done.map((d) => [d.partition, d.offset])).toEqual([[3, 0]]);
    expect(instance.pending).toBe(1);
  });

  it('halts: starts nothing new and waits for what runs', async () => {
    const { calls, handler } = manualHandler();
    const { instance } = scheduler({ handler, maxInFlight: 1 });
    instance.enqueue(item('a:1', 0));
    instance.enqueue(item('a:2', 1));
    const halted = instance.halt(1_000);
    calls[0]!.finish('done');
    await halted;
    expect(calls).toHaveLength(1);
  });
});
