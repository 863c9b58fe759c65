// Entry point: node tools/terranova-sim/src/cli.ts [--port 8081] [--host 127.0.0.1] --tenant id:token[:basePath] ...
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startTerranovaSim } from './lib/start.ts';
import type { TenantConfig } from './lib/tenant.ts';

const usage = 'usage: node tools/terranova-sim/src/cli.ts [--port 8081] [--host 127.0.0.1] --tenant <id>:<token>[:<basePath>] ...';

function parseTenant(spec: string): TenantConfig {
  const [id, token, ...rest] = spec.split(':');
  if (id === undefined || id === '' || token === undefined || token === '') throw new Error(`bad --tenant "${spec}"; ${usage}`);
  const basePath = rest.join(':');
  return basePath === '' ? { id, token } : { id, token, basePath };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8081' },
      host: { type: 'string', default: '127.0.0.1' },
      tenant: { type: 'string', multiple: true, default: [] },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.info(usage);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`bad --port "${values.port}"; ${usage}`);
  const logger = pino({ level: values['log-level'] });
  const sim = await startTerranovaSim({ port, host: values.host, tenants: values.tenant.map(parseTenant), logger });
  for (const tenant of sim.admin.listTenants()) console.info(`tenant ${tenant.id}: ${sim.url}${tenant.basePath}`);
  console.info(`admin API: ${sim.url}/admin/tenants`);
  const stop = () => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`terranova-sim: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
