import type { Logger } from 'pino';
import { isForcedReplay, type ProcessorControls, type ReplayMarker, type TenantDisabled } from '@provisioning/processor-controls';

/** What the watcher needs from the tenant registry. */
export interface ControlledTenants {
  tenantIds(): readonly string[];
  setOperatorDisabled(disabled: ReadonlyMap<string, TenantDisabled>): void;
}

/**
 * The operator's standing controls, read from Redis at startup and every few seconds: forced replays
 * (`ops replay --force`; an event inside a tenant's window is run again and checked against Terranova itself)
 * and disabled tenants (`ops tenant disable`; handed to the registry, which holds their events).
 */
export class OperatorControls {
  private markers = new Map<string, ReplayMarker>();
  private timer: NodeJS.Timeout | undefined;
  private readonly controls: ProcessorControls;
  private readonly tenants: ControlledTenants;
  private readonly logger: Logger;

  constructor(controls: ProcessorControls, tenants: ControlledTenants, logger: Logger) {
    this.controls = controls;
    this.tenants = tenants;
    this.logger = logger;
  }

  /** Loads the controls once (before consuming starts), then keeps them fresh. */
  async start(refreshMs = 5_000): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'could not read operator controls')), refreshMs);
    this.timer.unref();
  }

  async refresh(): Promise<void> {
    const tenantIds = this.tenants.tenantIds();
    const [markers, disabled] = await Promise.all([this.controls.replays(tenantIds), this.controls.disabledTenants(tenantIds)]);
    for (const [tenantId, marker] of markers) {
      if (this.markers.get(tenantId)?.replayId !== marker.replayId) this.logger.info({ tenantId, replayId: marker.replayId }, 'forced replay in force');
    }
    this.markers = markers;
    this.tenants.setOperatorDisabled(disabled);
  }

  isForced(tenantId: string, topic: string, partition: number, offset: number): boolean {
    return isForcedReplay(this.markers.get(tenantId), topic, partition, offset);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
