/**
 * Reads a `Retry-After` header (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date.
 * Returns milliseconds to wait (0 for a date in the past), or undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number = Date.now()): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // Only an HTTP-date is accepted as a date: Date.parse would also take "5 minutes" or other free text.
  if (!/^[A-Za-z]{3,9},? /.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
