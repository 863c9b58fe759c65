#!/usr/bin/env node
/**
 * `node tools/jumpcloud-sim/src/cli.ts --port 8082 --tenant acme=<fixtureDir>:<apiKey> [--tenant …]`
 * Starts the JumpCloud emulator and prints one JSON line `{"listening": url, "tenants": [...]}` once it accepts calls.
 * Options: --host, --events recorded|synthesized, --play <speed> (plays every timeline), --apply-all, --log-level.
 */
import { parseArgs } from 'node:util';
import { createRootLogger } from '@provisioning/observability';
import { startJumpCloudSim, type SimTenantSpec } from './index.ts';

const USAGE = 'usage: jumpcloud-sim [--port 8082] [--host 127.0.0.1] --tenant <id>=<fixtureDir>:<apiKey> [--tenant …] [--events recorded|synthesized] [--play <speed>] [--apply-all]';

/** `acme=/fixtures/acme:key`: the key is after the last `:` so a Windows-style or odd path still works. */
export function parseTenantArg(arg: string, events: string | undefined): SimTenantSpec {
  const eq = arg.indexOf('=');
  const colon = arg.lastIndexOf(':');
  if (eq <= 0 || colon <= eq + 1 || colon === arg.length - 1) throw new Error(`--tenant ${arg}: expected <id>=<fixtureDir>:<apiKey>`);
  if (events !== undefined && events !== 'recorded' && events !== 'synthesized') throw new Error('--events is recorded or synthesized');
  return { tenantId: arg.slice(0, eq), fixtureDir: arg.slice(eq + 1, colon), apiKey: arg.slice(colon + 1), ...(events ? { events } : {}) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8082' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string', multiple: true, default: [] },
      events: { type: 'string' },
      play: { type: 'string' },
      'apply-all': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'warn' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.info(USAGE);
    return;
  }
  if (values.tenant.length === 0) throw new Error(USAGE);
  const logger = createRootLogger({ name: 'jumpcloud-sim', level: values['log-level'] as 'warn' });
  const sim = await startJumpCloudSim({
    port: Number(values.port),
    host: values.host,
    tenants: values.tenant.map((t) => parseTenantArg(t, values.events)),
    logger,
  });
  const tenants = values.tenant.map((t) => parseTenantArg(t, values.events).tenantId);
  for (const id of tenants) {
    if (values['apply-all']) sim.tenant(id).applyAll();
    else if (values.play) sim.tenant(id).play(Number(values.play));
  }
  process.stdout.write(`${JSON.stringify({ listening: sim.url, tenants: tenants.map((id) => ({ tenantId: id, organization: sim.tenant(id).organization, timeline: sim.tenant(id).status() })) })}\n`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
