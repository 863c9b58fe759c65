import { describe, expect, it } from 'vitest';
import { directoryInsightsEventSchema, instantToEpochNanos, isUserResourceType } from './directory-insights.ts';

const envelope = {
  id: '64908c2ef675033f5a7a5e1e',
  event_type: 'user_update',
  service: 'directory',
  timestamp: '2023-06-19T17:11:10.381Z',
  organization: '641b3db57090821c0b2f8183',
  initiated_by: { id: '5bf6', type: 'admin', email: 'admin@example.com', source: 'scim' },
  resource: { id: '628cf9c0d6f4831f8192fa8d', type: 'user', username: 'john.wick' },
};

describe('directoryInsightsEventSchema', () => {
  it('reads changes whose values are strings, booleans, nulls and arrays of objects', () => {
    const event = directoryInsightsEventSchema.parse({
      ...envelope,
      changes: [
        { field: 'state', from: 'ACTIVATED', to: 'SUSPENDED' },
        { field: 'suspended', from: false, to: true },
        { field: 'attributes', from: [{ name: 'Division', value: 'Sales', _id: 'x' }], to: null },
      ],
    });
    expect(event.changes?.map((change) => change.to)).toEqual(['SUSPENDED', true, null]);
    expect(event.success).toBeUndefined();
  });

  it('keeps unknown fields and accepts a systemuser resource with a nanosecond timestamp', () => {
    const event = directoryInsightsEventSchema.parse({
      ...envelope,
      timestamp: '2026-11-23T08:09:07.683886050Z',
      resource: { ...envelope.resource, type: 'systemuser' },
      geoip: { country_code: 'CA' },
      message_chain: {},
    });
    expect(event.geoip).toEqual({ country_code: 'CA' });
    expect(isUserResourceType(event.resource!.type)).toBe(true);
    expect(isUserResourceType('user_group')).toBe(false);
  });

  it('reads an association edge in either orientation', () => {
    const association = {
      op: 'remove',
      action_source: 'manual',
      connection: {
        from: { type: 'user', object_id: '636b', name: 'john.doe' },
        to: { type: 'user_group', object_id: '5f0c', name: 'Security Awareness' },
      },
      attributes: null,
    };
    const event = directoryInsightsEventSchema.parse({ ...envelope, event_type: 'association_change', association });
    expect(event.association?.connection.from.type).toBe('user');
  });

  it.each([
    ['an id', { ...envelope, id: undefined }],
    ['a valid timestamp', { ...envelope, timestamp: '19/06/2023' }],
    ['a resource id', { ...envelope, resource: { type: 'user' } }],
  ])('rejects an event without %s', (_label, value) => {
    expect(directoryInsightsEventSchema.safeParse(value).success).toBe(false);
  });
});

describe('instantToEpochNanos', () => {
  it('orders nanosecond timestamps that share a millisecond', () => {
    const early = instantToEpochNanos('2026-11-23T08:09:07.683886050Z');
    const late = instantToEpochNanos('2026-11-23T08:09:07.683886051Z');
    expect(late - early).toBe(1n);
    expect(instantToEpochNanos('2026-11-23T08:09:07.683Z')).toBe(early - 886_050n);
  });

  it('reads offsets and whole seconds', () => {
    expect(instantToEpochNanos('1970-01-01T01:00:00+01:00')).toBe(0n);
  });

  it('throws on something that is not a timestamp', () => {
    expect(() => instantToEpochNanos('yesterday')).toThrow(RangeError);
  });
});
