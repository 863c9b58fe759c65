import type { Logger } from 'pino';
import { isForcedReplay, type ProcessorControls, type ReplayMarker } from '@provisioning/processor-controls';

/**
 * The forced replays an operator asked for (`ops replay --force`), read from Redis at startup and every few
 * seconds. An event inside a tenant's window is run again and checked against Terranova itself.
 */
export class ReplayWindows {
  private markers = new Map<string, ReplayMarker>();
  private timer: NodeJS.Timeout | undefined;
  private readonly controls: ProcessorControls;
  private readonly tenantIds: () => readonly string[];
  private readonly logger: Logger;

  constructor(controls: ProcessorControls, tenantIds: () => readonly string[], logger: Logger) {
    this.controls = controls;
    this.tenantIds = tenantIds;
    this.logger = logger;
  }

  /** Loads the markers once (before consuming starts), then keeps them fresh. */
  async start(refreshMs = 5_000): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch((err: unknown) => this.logger.warn({ err }, 'could not read replay markers')), refreshMs);
    this.timer.unref();
  }

  async refresh(): Promise<void> {
    const markers = await this.controls.replays(this.tenantIds());
    for (const [tenantId, marker] of markers) {
      if (this.markers.get(tenantId)?.replayId !== marker.replayId) this.logger.info({ tenantId, replayId: marker.replayId }, 'forced replay in force');
    }
    this.markers = markers;
  }

  isForced(tenantId: string, topic: string, partition: number, offset: number): boolean {
    return isForcedReplay(this.markers.get(tenantId), topic, partition, offset);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
