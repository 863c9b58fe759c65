import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a signed webhook call. */
export const SIGNATURE_HEADERS = {
  tenant: 'x-tenant-id',
  timestamp: 'x-signature-timestamp',
  signature: 'x-signature',
} as const;

/**
 * The signature of a webhook body: `sha256=` and the hex HMAC-SHA256, keyed with the tenant's secret, of
 * `<timestamp>.<raw body>`. Signing the timestamp lets the receiver refuse replays of old calls.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string | Buffer): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `sha256=${mac}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'mismatch' };

/** Checks a webhook signature in constant time, and that its timestamp is within `toleranceSeconds` of now. */
export function verifyWebhook(options: {
  secret: string;
  body: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  toleranceSeconds: number;
  nowMs?: number;
}): SignatureCheck {
  const { timestamp, signature } = options;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing' };
  const ageSeconds = Math.abs((options.nowMs ?? Date.now()) / 1000 - Number(timestamp));
  if (ageSeconds > options.toleranceSeconds) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(signWebhook(options.secret, Number(timestamp), options.body));
  const given = Buffer.from(signature);
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'mismatch' };
  return { ok: true };
}
