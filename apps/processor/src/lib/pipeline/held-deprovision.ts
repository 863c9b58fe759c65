import type { IHeaders } from 'kafkajs';
import type { HeldDeprovision } from '@provisioning/processor-controls';
import type { ChangeFacts } from '@provisioning/schemas';
import type { WorkItem } from '../engine/work-item.ts';
import type { Provisioned } from './provisioner.ts';

function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first === undefined ? [] : [[name, first.toString()]];
    }),
  );
}

/** The held entry of a deprovision the guard stopped: what to report, and the message to publish once approved. */
export function heldDeprovision(item: WorkItem, ids: { tenantId: string; userId: string; eventId: string }, provisioned: Provisioned, change: ChangeFacts): HeldDeprovision {
  return {
    tenantId: ids.tenantId,
    userId: ids.userId,
    eventId: ids.eventId,
    changeId: change.id,
    action: provisioned.action === 'delete' ? 'delete' : 'deactivate',
    userName: provisioned.userName,
    heldAt: new Date().toISOString(),
    change: { deprovisions: change.deprovisions, boundUsers: change.boundUsers },
    message: { key: item.message.key?.toString() ?? `${ids.tenantId}:${ids.userId}`, value: item.message.value?.toString() ?? '', headers: headerStrings(item.message.headers) },
  };
}
