import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Counts from vitest's JSON reporter, summed over every project. */
export interface TestCounts {
  passed: number;
  failed: number;
  skipped: number;
  projects: number;
}

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
}

/** Sums the per-project reports written under `dir`. */
export async function summarizeReports(dir: string): Promise<TestCounts> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json'));
  const counts: TestCounts = { passed: 0, failed: 0, skipped: 0, projects: files.length };
  for (const file of files) {
    const report = JSON.parse(await readFile(join(dir, file), 'utf8')) as VitestJsonReport;
    counts.passed += report.numPassedTests;
    counts.failed += report.numFailedTests;
    counts.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  }
  return counts;
}

/** The closing line CI reads. */
export function closingLine(counts: TestCounts): string {
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return `${counts.passed} passed, ${counts.failed} failed${skipped}`;
}
