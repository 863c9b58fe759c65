/** The operator commands, their flags and their help text: one table, so `--help` and parsing agree. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
}

const COMMON = { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;

export const COMMANDS: CommandSpec[] = [
  {
    name: 'replay',
    summary: "re-provision: move the processor's consumer group back to re-read the state topic",
    usage: `ops replay (--tenant <id> | --all) --from <earliest | ISO timestamp | offset | p:o,p:o…> [--force] --config <processor.json> [--json]

  Refuses while the processor's consumer group has live members (stop the processors first, start them after).
  Without --force, events already applied are recognised and skipped (no SCIM call).
  With --force, the processor re-applies the latest state of every user of the tenant(s), checking Terranova
  itself instead of its own records: use it when Terranova lost data. Other tenants' re-read events are skipped.`,
    options: { ...COMMON, tenant: { type: 'string' }, all: { type: 'boolean' }, from: { type: 'string' }, force: { type: 'boolean' } },
  },
  {
    name: 'dlq list',
    summary: 'list the dead-letter queue with the reason of every entry',
    usage: 'ops dlq list [--tenant <id>] --config <processor.json> [--json]',
    options: { ...COMMON, tenant: { type: 'string' } },
  },
  {
    name: 'dlq redrive',
    summary: 'put dead-lettered events back on the state topic',
    usage: `ops dlq redrive (--entry <partition:offset> … | --all) [--tenant <id>] [--value-file <fixed.json>] --config <processor.json> [--json]

  Each redriven event gets source "redrive" and an event id derived from its DLQ position.
  An entry whose value is not a valid state event is refused unless --value-file gives a corrected one
  (for exactly one --entry). Exit code 5 when some entries were refused.`,
    options: { ...COMMON, entry: { type: 'string', multiple: true }, all: { type: 'boolean' }, tenant: { type: 'string' }, 'value-file': { type: 'string' } },
  },
];

export const GENERAL_USAGE = `usage: npm run ops -- <command> [options]    (or: node apps/ops/src/main.ts <command> …)

${COMMANDS.map((command) => `  ${command.name.padEnd(12)} ${command.summary}`).join('\n')}

Every command takes --config <processor.json> (the processor's own config file) and --help.
Exit codes: 0 done, 1 failed, 2 usage or config error, 3 refused, 4 not found, 5 some entries refused.`;

/** Finds the command named by the first one or two words. */
export function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  const spec = COMMANDS.find((command) => command.name === two) ?? COMMANDS.find((command) => command.name === argv[0]);
  if (!spec) return undefined;
  return { spec, rest: argv.slice(spec.name.split(' ').length) };
}
