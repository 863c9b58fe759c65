import { isUserResourceType, type DirectoryInsightsAssociationNode, type DirectoryInsightsEvent } from '@provisioning/schemas';

/**
 * Directory events about one user's record or lifecycle. Lockouts and password events carry no lifecycle change
 * but still travel: the processor decides they need no SCIM call, and the state they carry is current.
 */
export const USER_EVENT_TYPES: ReadonlySet<string> = new Set([
  'user_create', 'user_update', 'user_delete', 'user_activated', 'user_suspended', 'user_unsuspended',
  'user_lockout', 'user_unlocked', 'user_password_change', 'user_password_set', 'user_password_expired',
]);

/** Why an event is dropped without a state event. */
export type DropReason = 'other-service' | 'ignored-type' | 'unrelated-association' | 'unsuccessful' | 'no-user' | 'other-organization';

export type ClassifiedEvent =
  | { kind: 'user'; event: DirectoryInsightsEvent; userId: string; username?: string }
  | {
      kind: 'association';
      event: DirectoryInsightsEvent;
      /** The user end of the edge, when the edge has one. */
      userId?: string;
      username?: string;
    }
  | { kind: 'dropped'; event: DirectoryInsightsEvent; reason: DropReason };

/** What the classifier needs to know about the tenant. */
export interface ClassifierScope {
  orgId: string;
  applicationId: string;
}

function userEnd(nodes: readonly DirectoryInsightsAssociationNode[]): DirectoryInsightsAssociationNode | undefined {
  return nodes.find((node) => isUserResourceType(node.type));
}

/**
 * An `association_change` matters when it can change who is bound to our application: a user joining or leaving
 * a user group, a group or user bound to or unbound from our application. Either orientation is accepted.
 */
function classifyAssociation(event: DirectoryInsightsEvent, scope: ClassifierScope): ClassifiedEvent {
  const connection = event.association?.connection;
  if (!connection) return { kind: 'dropped', event, reason: 'unrelated-association' };
  const nodes = [connection.from, connection.to];
  const user = userEnd(nodes);
  const group = nodes.find((node) => node.type === 'user_group');
  const app = nodes.find((node) => node.type === 'application');
  const ourApp = app?.object_id === scope.applicationId;
  const relevant = (user && group) || (ourApp && (user || group));
  if (!relevant) return { kind: 'dropped', event, reason: 'unrelated-association' };
  return { kind: 'association', event, ...(user ? { userId: user.object_id, ...(user.name ? { username: user.name } : {}) } : {}) };
}

/** Sorts an event into user change, association change, or dropped with the reason. */
export function classifyEvent(event: DirectoryInsightsEvent, scope: ClassifierScope): ClassifiedEvent {
  if (event.organization !== undefined && event.organization !== scope.orgId) return { kind: 'dropped', event, reason: 'other-organization' };
  if (event.service !== 'directory') return { kind: 'dropped', event, reason: 'other-service' };
  if (event.success === false) return { kind: 'dropped', event, reason: 'unsuccessful' };
  if (event.event_type === 'association_change') return classifyAssociation(event, scope);
  if (!USER_EVENT_TYPES.has(event.event_type)) return { kind: 'dropped', event, reason: 'ignored-type' };
  const resource = event.resource;
  if (!resource || !isUserResourceType(resource.type)) return { kind: 'dropped', event, reason: 'no-user' };
  return { kind: 'user', event, userId: resource.id, ...(resource.username ? { username: resource.username } : {}) };
}

/** The usernames a `user_update` shows the user had before (a rename). */
export function renamedFrom(event: DirectoryInsightsEvent): string[] {
  return (event.changes ?? [])
    .filter((change) => change.field === 'username' && typeof change.from === 'string' && change.from !== '')
    .map((change) => change.from as string);
}
