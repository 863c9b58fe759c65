import type { Logger } from 'pino';
import type { AfterPublishHook } from './poller/tenant-poller.ts';

/**
 * Crash tests need a replica to die at the worst moment: a batch is in Kafka, its cursor not yet committed.
 * `INGEST_FAILPOINT=crash-after-publish:<n>` makes the process kill itself with SIGKILL (no cleanup, like a
 * power cut) right after its n-th published poll batch. Unset in production, where it does nothing.
 */
export function crashFailpoint(spec: string | undefined, logger: Logger): AfterPublishHook | undefined {
  const match = /^crash-after-publish:(\d+)$/.exec(spec ?? '');
  if (!match) return undefined;
  let remaining = Number(match[1]);
  logger.warn({ failpoint: spec }, 'crash failpoint armed');
  return (tenantId) => {
    remaining -= 1;
    if (remaining > 0) return;
    logger.warn({ tenantId }, 'failpoint: killing this process after a publish');
    process.kill(process.pid, 'SIGKILL');
  };
}
