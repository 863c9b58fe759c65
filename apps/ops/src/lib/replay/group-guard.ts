import type { Admin } from 'kafkajs';
import { OpsError } from '../cli/ops-error.ts';

/**
 * Kafka only lets a group's offsets move while no member is connected, and moving them under running
 * processors would race their commits. So a replay refuses while the group has members, and says what to do.
 */
export async function assertGroupIdle(admin: Admin, groupId: string): Promise<void> {
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  if (!group || group.members.length === 0) return;
  const hosts = [...new Set(group.members.map((member) => `${member.clientId}@${member.clientHost}`))].join(', ');
  throw new OpsError(
    `consumer group ${groupId} has ${group.members.length} live member(s) (${hosts}), state ${group.state}. ` +
      'Stop every processor replica first (e.g. scale the deployment to 0), run the replay again, then start them.',
    'REFUSED',
  );
}
