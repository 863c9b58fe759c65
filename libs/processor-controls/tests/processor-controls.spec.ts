import { describe, expect, it } from 'vitest';
import { isForcedReplay, type ReplayMarker } from '../src/index.ts';
import { useControlsBed } from './support/controls-bed.ts';

const marker = (tenantId: string): ReplayMarker => ({
  replayId: 'r1',
  tenantId,
  topic: 'changes',
  requestedAt: '2026-12-03T10:00:00.000Z',
  until: { '0': '10', '1': '0' },
});

describe('processor-controls > replay markers', () => {
  const bed = useControlsBed();

  it('stores a marker per tenant, with an expiry, and clears it', async () => {
    await bed.controls.setReplay(marker('acme'));
    expect(await bed.redis.ttl(bed.controls.replayKey('acme'))).toBeGreaterThan(0);
    const found = await bed.controls.replays(['acme', 'globex']);
    expect([...found.keys()]).toEqual(['acme']);
    await bed.controls.clearReplay('acme');
    expect((await bed.controls.replays(['acme'])).size).toBe(0);
  });

  it('ignores a marker it cannot read instead of failing the processor', async () => {
    await bed.redis.set(bed.controls.replayKey('acme'), '{not json');
    expect((await bed.controls.replays(['acme'])).size).toBe(0);
  });

  it('forces exactly the events below the end offsets of the replayed topic', () => {
    const m = marker('acme');
    expect(isForcedReplay(m, 'changes', 0, '9')).toBe(true);
    expect(isForcedReplay(m, 'changes', 0, '10')).toBe(false);
    expect(isForcedReplay(m, 'changes', 1, '0')).toBe(false);
    expect(isForcedReplay(m, 'changes', 2, '0')).toBe(false);
    expect(isForcedReplay(m, 'other', 0, '1')).toBe(false);
    expect(isForcedReplay(undefined, 'changes', 0, '1')).toBe(false);
  });
});
