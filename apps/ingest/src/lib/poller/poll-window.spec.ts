import { describe, expect, it } from 'vitest';
import type { DirectoryInsightsEvent } from '@provisioning/schemas';
import { CursorTracker, pollWindow } from './poll-window.ts';

const at = (id: string, timestamp: string): DirectoryInsightsEvent => ({ id, event_type: 'user_update', service: 'directory', timestamp });

describe('ingest > poll window and cursor', () => {
  it('reads from the cursor less the overlap to now less the lag', () => {
    const now = Date.parse('2026-11-23T10:00:00.000Z');
    expect(pollWindow({ timestamp: '2026-11-23T09:00:00.123456789Z', seen: [] }, now, 2_000, 30_000)).toEqual({
      startTime: '2026-11-23T08:59:58.123Z',
      endTime: '2026-11-23T09:59:30.000Z',
      endMs: now - 30_000,
    });
  });

  it('reads nothing while the lag covers everything after the cursor', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(pollWindow({ timestamp: '2026-11-23T09:59:50Z', seen: [] }, now, 0, 30_000)).toBeUndefined();
  });

  it('skips ids seen in the overlap and repeats within a poll, and keeps the newest time in ns', () => {
    const tracker = new CursorTracker({ timestamp: '2026-11-23T09:00:00.500Z', seen: [['old', '0']] }, 1_000);
    const first = tracker.admit([at('old', '2026-11-23T09:00:00.500Z'), at('a', '2026-11-23T09:00:00.900Z'), at('b', '2026-11-23T09:00:02.000000001Z')]);
    expect(first).toEqual({ fresh: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })], repeats: 1 });
    // A duplicate on a later page, older than the overlap, is still caught within the same poll.
    expect(tracker.admit([at('a', '2026-11-23T09:00:00.900Z'), at('c', '2026-11-23T09:00:01.500Z')]).repeats).toBe(1);
    const cursor = tracker.cursor();
    expect(cursor.timestamp).toBe('2026-11-23T09:00:02.000000001Z');
    // Only ids within one second before the newest event are kept for the next poll.
    expect(cursor.seen.map(([id]) => id).sort()).toEqual(['b', 'c']);
  });
});
