import cliProgress from 'cli-progress';
import type { PipelineSnapshot } from '../run/settle.ts';

const FORMAT =
  '{tenant} [{bar}] {value}/{total} answered | created {create} updated {update} deactivated {deactivate} ' +
  'reactivated {reactivate} unchanged {none} | skipped {skipped} failed {failed} | lag {lag} | {phase}';

/** One bar per tenant: state events answered by a result, out of state events ingested. */
export class ProgressBars {
  private readonly multibar = new cliProgress.MultiBar(
    { format: FORMAT, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5_000, barsize: 20 },
    cliProgress.Presets.shades_classic,
  );
  private readonly bars = new Map<string, cliProgress.SingleBar>();

  update(snapshot: PipelineSnapshot & { phase: string }): void {
    for (const [tenant, counters] of [...snapshot.counters].sort(([a], [b]) => a.localeCompare(b))) {
      const payload = { tenant: tenant.padEnd(8), ...counters.applied, skipped: counters.skipped, failed: counters.failed, lag: snapshot.lag, phase: snapshot.phase };
      let bar = this.bars.get(tenant);
      if (!bar) this.bars.set(tenant, (bar = this.multibar.create(counters.ingested, counters.results, payload)));
      bar.setTotal(Math.max(counters.ingested, 1));
      bar.update(counters.results, payload);
    }
  }

  stop(): void {
    this.multibar.stop();
  }
}
