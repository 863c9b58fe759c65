import { NonRetriableError } from '@provisioning/errors';

/** A configuration that cannot start the app; `problems` lists every issue found, not only the first. */
export class ConfigError extends NonRetriableError {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[], cause?: unknown) {
    super(`Invalid configuration in ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      code: 'CONFIG_INVALID',
      cause,
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
