import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.ts';

describe('ingest > webhook signatures', () => {
  const body = Buffer.from('[{"id":"e1"}]');
  const now = Date.parse('2026-11-23T10:00:00Z');
  const ts = now / 1000;

  it('accepts the HMAC of timestamp and body, made with the tenant secret', () => {
    const signature = signWebhook('secret', ts, body);
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhook({ secret: 'secret', body, timestamp: String(ts), signature, toleranceSeconds: 300, nowMs: now })).toEqual({ ok: true });
  });

  it.each([
    ['another secret', { signature: signWebhook('other', ts, body) }, 'mismatch'],
    ['another body', { body: Buffer.from('[]') }, 'mismatch'],
    ['a truncated signature', { signature: signWebhook('secret', ts, body).slice(0, 20) }, 'mismatch'],
    ['an old timestamp', { timestamp: String(ts - 301), signature: signWebhook('secret', ts - 301, body) }, 'stale'],
    ['no signature', { signature: undefined }, 'missing'],
    ['a non-numeric timestamp', { timestamp: 'yesterday' }, 'missing'],
  ])('refuses %s', (_label, change, reason) => {
    const call = { secret: 'secret', body, timestamp: String(ts) as string | undefined, signature: signWebhook('secret', ts, body) as string | undefined, toleranceSeconds: 300, nowMs: now, ...change };
    expect(verifyWebhook(call)).toEqual({ ok: false, reason });
  });
});
