/**
 * Directory Insights timestamps carry milliseconds or nanoseconds (`…21.089Z`, `…59.812449824Z`), so the emulator
 * orders events on integer nanoseconds since the epoch and writes each instant back in the precision it came with.
 */

const RFC3339_UTC = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;
const NS_PER_MS = 1_000_000n;

/** Parses an RFC 3339 instant to nanoseconds since the epoch; undefined when it is not one. */
export function parseInstantNs(text: string): bigint | undefined {
  const match = RFC3339_UTC.exec(text);
  if (!match) return undefined;
  const [, seconds, fraction = '', zone] = match;
  const wholeMs = Date.parse(`${seconds}${zone === 'Z' ? 'Z' : zone}`);
  if (Number.isNaN(wholeMs)) return undefined;
  return BigInt(wholeMs) * NS_PER_MS + BigInt(fraction.padEnd(9, '0'));
}

/** Formats nanoseconds as `…sss.fffZ` (milliseconds) or `…sss.fffffffffZ` (nanoseconds). */
export function formatInstantNs(ns: bigint, precision: 'ms' | 'ns'): string {
  const ms = ns / NS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  if (precision === 'ms') return iso;
  const nanos = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${nanos}Z`;
}

/** The precision an instant string was written with. */
export function precisionOf(text: string): 'ms' | 'ns' {
  const fraction = /\.(\d+)Z$/.exec(text)?.[1] ?? '';
  return fraction.length > 3 ? 'ns' : 'ms';
}

/** Milliseconds of a nanosecond instant (the first element of a search_after token). */
export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

export function msToNs(ms: number): bigint {
  return BigInt(Math.trunc(ms)) * NS_PER_MS;
}
