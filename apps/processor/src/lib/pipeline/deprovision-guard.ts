import type { DeepReadonly } from '@provisioning/config';
import type { ProcessorControls } from '@provisioning/processor-controls';
import type { ChangeFacts } from '@provisioning/schemas';
import type { MassDeprovisionGuardSettings } from '../config/tenants-config.ts';
import type { GuardVerdict } from './provisioner.ts';

/**
 * Whether a JumpCloud change is a mass deprovision for the tenant: more users than `maxUsers`, or more than
 * `maxPercent` of the users bound before it. A change of one user never is, whatever the tenant's size.
 */
export function exceedsLimits(change: ChangeFacts, limits: DeepReadonly<MassDeprovisionGuardSettings>): boolean {
  if (!limits.enabled || change.deprovisions <= 1) return false;
  if (change.deprovisions > limits.maxUsers) return true;
  return change.boundUsers > 0 && (change.deprovisions * 100) / change.boundUsers > limits.maxPercent;
}

/**
 * The mass-deprovision guard (docs/decisions/0201-mass-deprovision-guard.md). The ingest tells, in the change
 * headers of each event, how many users the JumpCloud change behind it takes out of the application; a deactivate
 * or delete of a change over the tenant's limits is held until an operator approves the change (then applied) or
 * rejects it (then dropped). Only the deprovisions are stopped: every other event keeps flowing.
 */
export class DeprovisionGuard {
  private readonly controls: ProcessorControls;

  constructor(controls: ProcessorControls) {
    this.controls = controls;
  }

  async verdict(tenantId: string, limits: DeepReadonly<MassDeprovisionGuardSettings>, change: ChangeFacts | undefined): Promise<GuardVerdict> {
    if (!change || !exceedsLimits(change, limits)) return 'apply';
    const decided = await this.controls.decision(tenantId, change.id);
    if (decided?.decision === 'approved') return 'apply';
    return decided?.decision === 'rejected' ? 'drop' : 'hold';
  }
}
