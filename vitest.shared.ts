import { defineConfig } from 'vitest/config';
import { join } from 'node:path';

/**
 * One vitest setup for every project: specs beside the code and scenario tests in `tests/`,
 * files run one at a time (integration tests share one broker and one Redis), and a JSON
 * report per project that `npm test` sums into its closing `N passed, M failed` line.
 */
export interface ProjectTestOptions {
  /** The project's tests talk to Kafka and Redis (started by the global setup when not given). */
  services?: boolean;
  /** @defaultValue 30_000 ms */
  testTimeoutMs?: number;
}

export function projectTestConfig(projectName: string, options: ProjectTestOptions = {}) {
  const reportDir = join(import.meta.dirname, 'tmp', 'test-results');
  return defineConfig({
    test: {
      name: projectName,
      include: ['src/**/*.spec.ts', 'tests/**/*.spec.ts'],
      environment: 'node',
      globalSetup: options.services ? [join(import.meta.dirname, 'vitest.global-setup.ts')] : [],
      fileParallelism: false,
      passWithNoTests: true,
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: 120_000,
      reporters: ['default', 'json'],
      outputFile: { json: join(reportDir, `${projectName}.json`) },
    },
  });
}
