/** The operator commands, their flags and their help text: one table, so `--help` and parsing agree. */
export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;
  /** A positional argument the command takes, as the flag it stands for (`tenant disable acme` = `--tenant acme`). */
  positional?: 'tenant';
}

const COMMON = { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } as const;
const JUMPCLOUD = { ...COMMON, tenant: { type: 'string' }, 'ingest-config': { type: 'string' } } as const;

const CONFIGS = '--config <processor.json> --ingest-config <ingest.json>';

export const COMMANDS: CommandSpec[] = [
  {
    name: 'verify',
    summary: 'check a tenant\'s JumpCloud API key, organization and application, and its Terranova URL and token',
    usage: `ops verify --tenant <id> ${CONFIGS} [--json]

  One call each, no retries: the JumpCloud API key and organization, the application id and Directory Insights
  (from the ingest's config), then Terranova's SCIM base URL and token (from the processor's tenants file).
  Says precisely what is wrong. Exit code 1 when a check failed.`,
    options: JUMPCLOUD,
  },
  {
    name: 'import',
    summary: 'list Terranova\'s users as New (not in JumpCloud) or Imported; --create creates the New ones in JumpCloud',
    usage: `ops import --tenant <id> [--new-only] [--create] ${CONFIGS} [--json]

  Lists every Terranova user (all pages) and matches it to a JumpCloud user by userName, then by email.
  A dry run unless --create: then each New user is created in JumpCloud (ACTIVATED, or STAGED when inactive in
  Terranova) and bound to the Terranova application, so JumpCloud manages it from then on.
  Exit code 5 when some users could not be created.`,
    options: { ...JUMPCLOUD, 'new-only': { type: 'boolean' }, create: { type: 'boolean' } },
  },
  {
    name: 'tenant disable',
    summary: 'stop all SCIM calls for a tenant; its events wait (nothing is lost) until it is enabled',
    usage: `ops tenant disable <tenant> [--reason <text>] --config <processor.json> [--json]

  The processors read it within controls.refreshMs (5 s by default): no SCIM call is made for the tenant, and its
  events wait, neither applied nor dead-lettered. Other tenants are not affected.`,
    options: { ...COMMON, tenant: { type: 'string' }, reason: { type: 'string' } },
    positional: 'tenant',
  },
  {
    name: 'tenant enable',
    summary: 'let a disabled tenant\'s events flow again',
    usage: `ops tenant enable <tenant> --config <processor.json> [--json]

  Undoes \`tenant disable\`. A tenant with "enabled": false in the tenants file stays disabled until the file says so.`,
    options: { ...COMMON, tenant: { type: 'string' } },
    positional: 'tenant',
  },
  {
    name: 'tenant status',
    summary: 'show each tenant: enabled or disabled (and by whom), held deprovisions, forced replay',
    usage: 'ops tenant status [<tenant>] --config <processor.json> [--json]',
    options: { ...COMMON, tenant: { type: 'string' } },
    positional: 'tenant',
  },
  {
    name: 'provision',
    summary: 'provision one user now: read it from JumpCloud, apply it through the processors, show what was done',
    usage: `ops provision --tenant <id> --user <id | username> [--timeout <seconds>] ${CONFIGS} [--json]

  Reads the user and its binding from JumpCloud now, publishes its state on the state topic like the ingest does,
  and waits (60 s by default) for the processors' result: the decision, the SCIM calls made and the outcome.
  Refused while the tenant is disabled. Exit code 1 when the result is failed or does not come in time.`,
    options: { ...JUMPCLOUD, user: { type: 'string' }, timeout: { type: 'string' } },
  },
  {
    name: 'reconcile',
    summary: 'compare JumpCloud with Terranova and list what would change; --apply publishes the needed state events',
    usage: `ops reconcile --tenant <id> [--apply] ${CONFIGS} [--json]

  Reads every JumpCloud user and the application's bindings, and every Terranova user, and lists what the
  processors would do: create, update (which attributes), reactivate, deactivate (or delete). Terranova users that
  no JumpCloud user accounts for (never provisioned from JumpCloud) are listed as unmanaged and never touched.
  Changes nothing unless --apply: then one state event per listed user goes to the processors.`,
    options: { ...JUMPCLOUD, apply: { type: 'boolean' } },
  },
  {
    name: 'held',
    summary: 'list the deprovisions the mass-deprovision guard holds, by JumpCloud change',
    usage: 'ops held --tenant <id> [--change <id>] --config <processor.json> [--json]',
    options: { ...COMMON, tenant: { type: 'string' }, change: { type: 'string' } },
  },
  {
    name: 'approve',
    summary: 'apply the deprovisions held for a tenant (or one change of it)',
    usage: `ops approve --tenant <id> [--change <id>] --config <processor.json> [--json]

  Marks the change(s) approved and puts the held states back on the state topic: the processors apply them
  (a user changed again since is not taken back: the newer state wins). Exit code 4 when nothing is held.`,
    options: { ...COMMON, tenant: { type: 'string' }, change: { type: 'string' } },
  },
  {
    name: 'reject',
    summary: 'drop the deprovisions held for a tenant (or one change of it): the users stay active in Terranova',
    usage: `ops reject --tenant <id> [--change <id>] --config <processor.json> [--json]

  Marks the change(s) rejected (later events of the change are dropped too) and forgets the held deprovisions.
  \`ops reconcile\` shows the users JumpCloud and Terranova then disagree about. Exit code 4 when nothing is held.`,
    options: { ...COMMON, tenant: { type: 'string' }, change: { type: 'string' } },
  },
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

export const GENERAL_USAGE = `usage: npm run ops -- <command> [options]    (or: npx provisioning-ops <command> …)

${COMMANDS.map((command) => `  ${command.name.padEnd(15)} ${command.summary}`).join('\n')}

Every command takes --config <processor.json> (the processor's own config file) and --help; the commands that
read JumpCloud (verify, import, provision, reconcile) also take --ingest-config <ingest.json> (the ingest's).
Exit codes: 0 done, 1 failed, 2 usage or config error, 3 refused, 4 not found, 5 some entries refused.`;

/** Finds the command named by the first one or two words. */
export function findCommand(argv: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  const two = `${argv[0]} ${argv[1]}`;
  const spec = COMMANDS.find((command) => command.name === two) ?? COMMANDS.find((command) => command.name === argv[0]);
  if (!spec) return undefined;
  return { spec, rest: argv.slice(spec.name.split(' ').length) };
}
