#!/usr/bin/env -S node --disable-warning=TimeoutNegativeWarning
/**
 * Operator commands: `npm run ops -- <command> …` (see `--help`). Results go to stdout (a table, or JSON with
 * `--json`), progress to stderr; exit codes are listed in the help so scripts can rely on them.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@provisioning/config';
import { ProvisioningError } from '@provisioning/errors';
import { findCommand, GENERAL_USAGE, type CommandSpec } from './lib/cli/commands.ts';
import { OpsError } from './lib/cli/ops-error.ts';
import { runCommand } from './lib/cli/run-command.ts';

function parse(argv: string[]): { spec: CommandSpec; values: Record<string, unknown> } | undefined {
  const found = findCommand(argv);
  if (!found) return undefined;
  try {
    const { spec } = found;
    const { values, positionals } = parseArgs({ args: found.rest, options: spec.options, strict: true, allowPositionals: spec.positional !== undefined });
    if (positionals.length > 1) throw new Error(`one ${spec.positional} at most, got ${positionals.join(' ')}`);
    if (spec.positional && positionals[0] !== undefined) {
      if (values[spec.positional] !== undefined) throw new Error(`name the ${spec.positional} once: as an argument or with --${spec.positional}`);
      return { spec, values: { ...values, [spec.positional]: positionals[0] } };
    }
    return { spec, values };
  } catch (error) {
    throw new OpsError(`${(error as Error).message}\n\n${found.spec.usage}`, 'USAGE');
  }
}

async function main(argv: string[]): Promise<number> {
  const parsed = parse(argv);
  if (!parsed) {
    const asked = argv.length === 0 || argv[0] === '--help' || argv[0] === 'help';
    (asked ? process.stdout : process.stderr).write(`${GENERAL_USAGE}\n`);
    return asked ? 0 : 2;
  }
  if (parsed.values['help']) {
    process.stdout.write(`${parsed.spec.usage}\n`);
    return 0;
  }
  return runCommand(parsed.spec.name, parsed.values, process.env);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof OpsError) {
      process.stderr.write(`ops: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`ops: ${error.message}\n`);
      process.exit(2);
    }
    // A JumpCloud, SCIM or Kafka failure the command could not handle: its message says what failed, no stack.
    if (error instanceof ProvisioningError) {
      process.stderr.write(`ops: ${error.message} (${error.code})\n`);
      process.exit(1);
    }
    process.stderr.write(`ops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
