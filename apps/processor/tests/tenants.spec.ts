import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcessorControls } from '@provisioning/processor-controls';
import { DLQ_HEADERS } from '@provisioning/schemas';
import type { Processor } from '../src/lib/processor.ts';
import { userEvent } from './support/events.ts';
import { ProcessorHarness } from './support/harness.ts';

/** Disabling a tenant holds its events (nothing lost, no SCIM call); removing one with events left is refused. */
describe('processor > disabled and removed tenants', () => {
  let harness: ProcessorHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const who = (tenantId: string) => ({ tenantId, userId: `u-${randomUUID().slice(0, 8)}` });
  const metrics = async (processor: Processor) => (await fetch(`${processor.opsUrl}/metrics`)).text();

  it('a tenant disabled by an operator gets no SCIM call; its events wait and flow once it is enabled', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }, { id: 'globex' }] });
    const processor = await harness.startProcessor();
    const controls = new ProcessorControls(harness.redis, harness.keyPrefix);
    await controls.disable('acme', 'Terranova maintenance');
    await expect.poll(() => processor.stats().parked.map((p) => [p.tenantId, p.reason]), { timeout: 5_000 }).toEqual([['acme', 'disabled']]);
    const [waiting, flowing] = [userEvent(who('acme')), userEvent(who('globex'))];
    await harness.send([waiting, flowing]);
    await harness.results.waitFor([flowing.eventId]);
    expect(await metrics(processor)).toMatch(/processor_tenant_parked\{tenant="acme",reason="disabled"\} 1/);
    expect(harness.results.forEvent(waiting.eventId)).toEqual([]);
    expect(harness.writes('acme')).toBe(0);
    expect(harness.dlq.messages).toEqual([]);
    await controls.enable('acme');
    const [applied] = await harness.results.waitFor([waiting.eventId]);
    expect(applied).toMatchObject({ action: 'create', outcome: 'applied' });
    expect(processor.stats().parked).toEqual([]);
  });

  it('enabled: false in the tenants file holds the events the same way, until the file enables the tenant', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme', enabled: false }] });
    const processor = await harness.startProcessor();
    const event = userEvent(who('acme'));
    await harness.send([event]);
    await expect.poll(() => processor.stats().pending, { timeout: 10_000 }).toBe(1);
    expect(harness.results.forEvent(event.eventId)).toEqual([]);
    await harness.writeTenants([{ id: 'acme' }]);
    expect(await processor.reloadTenants()).toBe(true);
    const [applied] = await harness.results.waitFor([event.eventId]);
    expect(applied).toMatchObject({ outcome: 'applied' });
  });

  it('refuses to remove a tenant that still has unprocessed events, unless forceRemove names it', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }, { id: 'globex', enabled: false }] });
    const processor = await harness.startProcessor();
    const waiting = [userEvent(who('globex')), userEvent(who('globex'))];
    await harness.send(waiting);
    await expect.poll(() => processor.stats().pending, { timeout: 10_000 }).toBe(2);

    await harness.writeTenants([{ id: 'acme' }]);
    expect(await processor.reloadTenants()).toBe(false);
    const text = await metrics(processor);
    expect(text).toMatch(/processor_tenant_config_reloads_total\{outcome="refused"\} 1/);
    expect(text).toMatch(/processor_tenant_removal_refused\{tenant="globex"\} 2/);
    expect(processor.stats().parked.map((p) => p.tenantId)).toEqual(['globex']);

    await harness.writeTenants([{ id: 'acme' }], ['globex']);
    expect(await processor.reloadTenants()).toBe(true);
    // Removed with its events left: they are no longer held back, and meet an unknown tenant.
    await expect.poll(() => harness!.dlq.messages.filter((m) => m.headers[DLQ_HEADERS.errorCode] === 'TENANT_UNKNOWN').length, { timeout: 15_000 }).toBe(2);
  });

  it('removes a tenant whose events are all done', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }, { id: 'globex' }] });
    const processor = await harness.startProcessor();
    const done = userEvent(who('globex'));
    await harness.send([done]);
    await harness.results.waitFor([done.eventId]);
    await harness.writeTenants([{ id: 'acme' }]);
    expect(await processor.reloadTenants()).toBe(true);
    expect(await metrics(processor)).toMatch(/processor_tenant_removal_refused\{tenant="globex"\} 0/);
  });

  it('refuses a tenants file that both configures and force-removes a tenant', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }] });
    const processor = await harness.startProcessor();
    await harness.writeTenants([{ id: 'acme' }], ['acme']);
    expect(await processor.reloadTenants()).toBe(false);
    expect(await metrics(processor)).toMatch(/processor_tenant_config_reloads_total\{outcome="error"\} 1/);
  });
});
