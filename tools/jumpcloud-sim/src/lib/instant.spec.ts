import { describe, expect, it } from 'vitest';
import { formatInstantNs, parseInstantNs, precisionOf } from './instant.ts';

describe('jumpcloud-sim > instants', () => {
  it.each(['2026-11-23T08:09:07.683886050Z', '2026-11-23T08:05:38.154Z'])('reads and writes %s unchanged', (text) => {
    const ns = parseInstantNs(text);
    expect(ns).toBeDefined();
    expect(formatInstantNs(ns as bigint, precisionOf(text))).toBe(text);
  });

  it('orders nanoseconds within one millisecond and reads offsets and whole seconds', () => {
    expect((parseInstantNs('2026-11-23T08:09:07.683886050Z') as bigint) > (parseInstantNs('2026-11-23T08:09:07.683Z') as bigint)).toBe(true);
    expect(parseInstantNs('2026-11-23T09:00:00+01:00')).toBe(parseInstantNs('2026-11-23T08:00:00Z'));
    expect(parseInstantNs('yesterday')).toBeUndefined();
  });
});
