import type { DirectoryInsightsEvent } from '@provisioning/schemas';
import { renamedFrom, type ClassifiedEvent } from './classify.ts';

/** One state event to publish: which user, under which id, because of which Directory Insights event. */
export interface PlannedEvent {
  userId: string;
  eventId: string;
  event: DirectoryInsightsEvent;
  /** The username the Directory Insights event names, for a user JumpCloud no longer has. */
  usernameHint?: string;
  /** Usernames the event shows the user had before. */
  renamedFrom: string[];
}

/**
 * Decides which users each relevant event affects, in order:
 * - a user event affects its user, under the event's id;
 * - an association change affects the user on the edge (the event's id) and, because a group or app edge does not
 *   list who it binds, every user whose binding now differs from the one last published: they get
 *   `<eventId>:<userId>`, which stays the same however many users one event fans out to.
 * `knownBound` is the set last published as bound; it is updated as the batch goes, so only the first association
 * event of a batch carries the difference.
 */
export function planStateEvents(
  classified: readonly ClassifiedEvent[],
  boundNow: ReadonlySet<string>,
  knownBound: ReadonlySet<string>,
  eventIdPrefix: string,
): PlannedEvent[] {
  const known = new Set(knownBound);
  const publishedBound = (userId: string) => (boundNow.has(userId) ? known.add(userId) : known.delete(userId));
  const planned: PlannedEvent[] = [];
  for (const item of classified) {
    if (item.kind === 'dropped') continue;
    const id = `${eventIdPrefix}${item.event.id}`;
    if (item.userId !== undefined) {
      planned.push({ userId: item.userId, eventId: id, event: item.event, renamedFrom: renamedFrom(item.event), ...(item.username ? { usernameHint: item.username } : {}) });
      publishedBound(item.userId);
    }
    if (item.kind !== 'association') continue;
    for (const userId of bindingChanges(boundNow, known)) {
      planned.push({ userId, eventId: `${id}:${userId}`, event: item.event, renamedFrom: [] });
      publishedBound(userId);
    }
  }
  return planned;
}

/** Users bound now but not published as bound, and the reverse, in a stable order. */
function bindingChanges(boundNow: ReadonlySet<string>, known: ReadonlySet<string>): string[] {
  const entered = [...boundNow].filter((id) => !known.has(id));
  const left = [...known].filter((id) => !boundNow.has(id));
  return [...entered, ...left].sort();
}
