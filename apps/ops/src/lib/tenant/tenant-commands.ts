import { ProcessorControls } from '@provisioning/processor-controls';
import { tenantOf, type CommandContext } from '../cli/context.ts';
import { emit, table } from '../cli/output.ts';
import { configuredTenant, configuredTenants } from '../config/ops-config.ts';

async function controlsOf(c: CommandContext): Promise<ProcessorControls> {
  return new ProcessorControls(await c.redis(), c.config.redis.keyPrefix);
}

const within = (c: CommandContext) => `within ${Math.ceil(c.config.controls.refreshMs / 1000)} s`;

/** `ops tenant disable <tenant>`: no SCIM call for the tenant; its events wait. */
export async function tenantDisableCommand(c: CommandContext): Promise<number> {
  const tenant = await configuredTenant(c.config, tenantOf(c.values));
  const controls = await controlsOf(c);
  const already = (await controls.disabledTenants([tenant.id])).get(tenant.id);
  const control = already ?? (await controls.disable(tenant.id, c.values['reason'] as string | undefined));
  emit(c.values['json'] === true, { ...control, alreadyDisabled: already !== undefined }, () =>
    already
      ? `tenant ${tenant.id} was already disabled (since ${already.disabledAt})`
      : `tenant ${tenant.id} disabled: the processors stop calling its Terranova ${within(c)} and hold its events until \`ops tenant enable ${tenant.id}\``,
  );
  return 0;
}

/** `ops tenant enable <tenant>`: its waiting events flow again. */
export async function tenantEnableCommand(c: CommandContext): Promise<number> {
  const tenant = await configuredTenant(c.config, tenantOf(c.values));
  const wasDisabled = await (await controlsOf(c)).enable(tenant.id);
  const note = tenant.enabled ? '' : '; it is still disabled in the tenants file ("enabled": false)';
  emit(c.values['json'] === true, { tenantId: tenant.id, wasDisabled, enabledInTenantsFile: tenant.enabled }, () =>
    wasDisabled
      ? `tenant ${tenant.id} enabled: its waiting events flow again ${within(c)}${note}`
      : `tenant ${tenant.id} was not disabled by an operator${note}`,
  );
  return 0;
}

/** `ops tenant status [<tenant>]`: what holds each tenant's events, if anything. */
export async function tenantStatusCommand(c: CommandContext): Promise<number> {
  const name = c.values['tenant'] as string | undefined;
  const tenants = name ? [await configuredTenant(c.config, name)] : await configuredTenants(c.config);
  const ids = tenants.map((t) => t.id);
  const controls = await controlsOf(c);
  const [disabled, held, replays] = await Promise.all([controls.disabledTenants(ids), controls.heldCounts(ids), controls.replays(ids)]);
  const rows = tenants.map((t) => ({
    tenantId: t.id,
    enabledInTenantsFile: t.enabled,
    disabledByOperator: disabled.get(t.id) ?? null,
    heldDeprovisions: held.get(t.id) ?? 0,
    forcedReplay: replays.get(t.id)?.replayId ?? null,
  }));
  const state = (r: (typeof rows)[number]) =>
    !r.enabledInTenantsFile ? 'disabled (tenants file)' : r.disabledByOperator ? `disabled since ${r.disabledByOperator.disabledAt}${r.disabledByOperator.reason ? `: ${r.disabledByOperator.reason}` : ''}` : 'enabled';
  emit(c.values['json'] === true, rows, () =>
    table(['tenant', 'state', 'held deprovisions', 'forced replay'], rows.map((r) => [r.tenantId, state(r), String(r.heldDeprovisions), r.forcedReplay ?? ''])),
  );
  return 0;
}
