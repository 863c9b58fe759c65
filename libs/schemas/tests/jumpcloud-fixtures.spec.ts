import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  directoryInsightsPageSchema,
  instantToEpochNanos,
  systemUserListSchema,
  userChangeEventV1Schema,
  userStateFromSystemUser,
} from '../src/index.ts';

/** The shared fixtures sit next to the repository (CI clones the repo beside a copy of `shared/`). */
const fixturesRoot = resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');
const tenants = readdirSync(fixturesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

function readJson(tenant: string, file: string): unknown {
  return JSON.parse(readFileSync(join(fixturesRoot, tenant, file), 'utf8')) as unknown;
}

function usersOf(tenant: string, file: string): unknown[] {
  const org = readJson(tenant, file) as { users: unknown[] };
  return org.users;
}

describe('the shared JumpCloud fixtures', () => {
  it('has tenants to check', () => {
    expect(tenants.length).toBeGreaterThanOrEqual(2);
  });

  describe.each(tenants)('tenant %s', (tenant) => {
    it('every Directory Insights event parses, unknown fields kept', () => {
      const raw = readJson(tenant, 'directory-insights-events.json') as unknown[];
      const events = directoryInsightsPageSchema.parse(raw);
      expect(events).toHaveLength(raw.length);
      expect(events.every((event) => event['@version'] === '1')).toBe(true);
    });

    it('carries what real feeds carry: both resource types, ms and ns timestamps, success absent', () => {
      const events = directoryInsightsPageSchema.parse(readJson(tenant, 'directory-insights-events.json'));
      const resourceTypes = new Set(events.flatMap((event) => (event.resource ? [event.resource.type] : [])));
      expect([...resourceTypes].sort()).toEqual(['systemuser', 'user']);
      expect(events.some((event) => /\.\d{9}Z$/.test(event.timestamp))).toBe(true);
      expect(events.some((event) => event.success === undefined)).toBe(true);
    });

    it('gives every timestamp a nanosecond instant (rows are not strictly ascending: cursors must not assume it)', () => {
      const events = directoryInsightsPageSchema.parse(readJson(tenant, 'directory-insights-events.json'));
      const instants = events.map((event) => instantToEpochNanos(event.timestamp));
      expect(instants.every((instant) => instant > 1_600_000_000_000_000_000n)).toBe(true);
    });

    it.each(['org-initial.json', 'org-final.json'])('every user in %s parses and yields a valid contract state', (file) => {
      const users = usersOf(tenant, file);
      const list = systemUserListSchema.parse({ totalCount: users.length, results: users });
      expect(list.results).toHaveLength(users.length);
      for (const user of list.results) {
        const event = {
          schemaVersion: 1, eventId: `snapshot:${user._id}`, tenantId: tenant, userId: user._id, source: 'snapshot',
          occurredAt: '2026-11-23T00:00:00.000Z', observedAt: '2026-11-23T00:00:00.000Z', bound: true, deleted: false,
          user: userStateFromSystemUser(user),
        };
        expect(userChangeEventV1Schema.safeParse(event).error?.issues ?? []).toEqual([]);
      }
    });
  });
});
