import { describe, expect, it } from 'vitest';
import { PartitionTracker } from './partition-tracker.ts';

describe('engine > partition tracker', () => {
  it('commits only up to the first offset that is not done', () => {
    const tracker = new PartitionTracker('t', 0);
    for (const offset of [10, 11, 12, 13]) tracker.addPending(offset, 'a');
    expect(tracker.commitPosition()).toBe(10);
    tracker.complete(12);
    tracker.complete(13);
    expect(tracker.commitPosition()).toBe(10);
    tracker.complete(10);
    expect(tracker.commitPosition()).toBe(11);
    tracker.complete(11);
    expect(tracker.commitPosition()).toBe(14);
  });

  it('steps over offsets never delivered (compaction, transaction markers)', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.addPending(5, 'a');
    tracker.addPending(9, 'a');
    tracker.complete(5);
    expect(tracker.commitPosition()).toBe(9);
    tracker.complete(9);
    expect(tracker.commitPosition()).toBe(10);
  });

  it('reports a position only when it moved since the last commit', () => {
    const tracker = new PartitionTracker('t', 0);
    expect(tracker.uncommittedPosition()).toBeUndefined();
    tracker.addPending(0, 'a');
    tracker.complete(0);
    expect(tracker.uncommittedPosition()).toBe(1);
    tracker.markCommitted(1);
    expect(tracker.uncommittedPosition()).toBeUndefined();
  });

  it('classifies redelivered offsets so nothing runs twice', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.addPending(0, 'a');
    tracker.addPending(1, 'a');
    tracker.complete(0);
    expect(tracker.classify(0, 'a')).toBe('known');
    expect(tracker.classify(1, 'a')).toBe('known');
    expect(tracker.classify(2, 'a')).toBe('new');
  });

  it('re-admits deferred offsets oldest first, per tenant, and holds the commit behind them', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.addPending(0, 'a');
    tracker.addDeferred(1, 'b');
    tracker.addPending(2, 'a');
    tracker.addDeferred(3, 'b');
    tracker.complete(0);
    tracker.complete(2);
    expect(tracker.commitPosition()).toBe(1);
    expect(tracker.hasDeferred('b')).toBe(true);
    expect(tracker.deferredCount).toBe(2);
    expect(tracker.oldestDeferred(['b'])).toBe(1);
    // Only the oldest deferred offset of a tenant may come back in; the later one waits its turn.
    expect(tracker.classify(3, 'b')).toBe('known');
    expect(tracker.classify(1, 'b')).toBe('refill');
    tracker.admitDeferred(1, 'b');
    expect(tracker.classify(3, 'b')).toBe('refill');
    tracker.admitDeferred(3, 'b');
    expect(tracker.hasDeferred('b')).toBe(false);
    tracker.complete(1);
    expect(tracker.commitPosition()).toBe(3);
    tracker.complete(3);
    expect(tracker.commitPosition()).toBe(4);
    expect(tracker.pendingCount).toBe(0);
  });

  it('ends a re-read once the stream is back at the newest offset', () => {
    const tracker = new PartitionTracker('t', 0);
    tracker.addDeferred(0, 'b');
    tracker.addPending(1, 'a');
    tracker.refillFrom = 0;
    tracker.noteRedelivered(0);
    expect(tracker.refillFrom).toBe(0);
    tracker.noteRedelivered(1);
    expect(tracker.refillFrom).toBeUndefined();
  });
});
