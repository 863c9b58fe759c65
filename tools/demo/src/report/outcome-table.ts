import type { TenantOutcome } from '../run/run-demo.ts';

const COLUMNS = [
  ['tenant', (t: TenantOutcome) => t.tenantId],
  ['expected active', (t: TenantOutcome) => t.comparison.expectedActive],
  ['active', (t: TenantOutcome) => t.comparison.active],
  ['missing', (t: TenantOutcome) => t.comparison.missing.length],
  ['extra', (t: TenantOutcome) => t.comparison.extra.length],
  ['wrong attributes', (t: TenantOutcome) => t.comparison.wrongAttributes.length],
  ['duplicates', (t: TenantOutcome) => t.comparison.duplicates.length],
  ['inactive not allowed', (t: TenantOutcome) => t.comparison.inactiveNotAllowed.length],
  ['created twice', (t: TenantOutcome) => t.createdTwice.length],
  ['result', (t: TenantOutcome) => (t.comparison.matches && t.createdTwice.length === 0 ? 'match' : 'MISMATCH')],
] as const;

/** The end-of-run table: one row per tenant, every mismatch column zero when Terranova matches the oracle. */
export function outcomeTable(tenants: readonly TenantOutcome[]): string {
  const rows = [COLUMNS.map(([title]) => title), ...tenants.map((t) => COLUMNS.map(([, cell]) => String(cell(t))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** The first few userNames behind each non-zero column, so a mismatch can be looked into. */
export function mismatchDetails(tenants: readonly TenantOutcome[], limit = 5): string[] {
  const lines: string[] = [];
  for (const { tenantId, comparison, createdTwice } of tenants) {
    const lists: [string, string[]][] = [
      ['missing', comparison.missing],
      ['extra', comparison.extra],
      ['wrong attributes', comparison.wrongAttributes.map((w) => `${w.userName} (${w.differences.join('; ')})`)],
      ['duplicates', comparison.duplicates],
      ['inactive not allowed', comparison.inactiveNotAllowed],
      ['created twice', createdTwice],
    ];
    for (const [label, names] of lists) {
      if (names.length > 0) lines.push(`${tenantId} ${label}: ${names.slice(0, limit).join(', ')}${names.length > limit ? ', …' : ''}`);
    }
  }
  return lines;
}
