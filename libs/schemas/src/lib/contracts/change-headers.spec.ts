import { describe, expect, it } from 'vitest';
import { asksToCheckTerranova, CHANGE_HEADERS, changeHeadersV1Schema, readChangeHeaders, toChangeHeaders } from './change-headers.ts';

describe('change headers', () => {
  const facts = { id: 'import:64930a6d00466f31842811a1', deprovisions: 17, boundUsers: 126 };

  it('round-trips through Kafka header values (strings or buffers)', () => {
    const headers = toChangeHeaders(facts);
    expect(changeHeadersV1Schema.safeParse(headers).success).toBe(true);
    expect(readChangeHeaders(headers)).toEqual(facts);
    const asBuffers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)]));
    expect(readChangeHeaders({ ...asBuffers, 'event-id': Buffer.from('x') })).toEqual(facts);
  });

  it('names no change when a header is missing or not a number', () => {
    const headers = toChangeHeaders(facts);
    expect(readChangeHeaders(undefined)).toBeUndefined();
    expect(readChangeHeaders({ 'event-id': 'x' })).toBeUndefined();
    expect(readChangeHeaders({ ...headers, [CHANGE_HEADERS.boundUsers]: undefined })).toBeUndefined();
    expect(readChangeHeaders({ ...headers, [CHANGE_HEADERS.deprovisions]: '-3' })).toBeUndefined();
  });
});

describe('check-terranova header', () => {
  it('asks for a check only when it says true', () => {
    expect(asksToCheckTerranova({ [CHANGE_HEADERS.checkTerranova]: Buffer.from('true') })).toBe(true);
    expect(asksToCheckTerranova({ [CHANGE_HEADERS.checkTerranova]: 'false' })).toBe(false);
    expect(asksToCheckTerranova({})).toBe(false);
    expect(asksToCheckTerranova(undefined)).toBe(false);
  });
});
