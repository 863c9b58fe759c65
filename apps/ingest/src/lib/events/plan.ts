import type { ChangeFacts, DirectoryInsightsEvent } from '@provisioning/schemas';
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
  /** The JumpCloud change this event is one of, when that change takes several users out of the application. */
  change?: ChangeFacts;
}

/**
 * Decides which users each relevant event affects, in order:
 * - a user event affects its user, under the event's id;
 * - an association change affects the user on the edge (the event's id) and, because a group or app edge does not
 *   list who it binds, every user whose binding now differs from the one last published: they get
 *   `<eventId>:<userId>`, which stays the same however many users one event fans out to.
 * `knownBound` is the set last published as bound; it is updated as the batch goes, so only the first association
 * event of a batch carries the difference.
 *
 * An association change that takes more than one user out of the application (a group unbound, …) marks each of
 * its events with the change's facts (its id, the users it takes out, the users bound before it), which travel as
 * Kafka headers for the processor's mass-deprovision guard.
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
    const boundBefore = known.size;
    const edgeLeaves = item.userId !== undefined && known.has(item.userId) && !boundNow.has(item.userId);
    const ofThisChange: PlannedEvent[] = [];
    if (item.userId !== undefined) {
      ofThisChange.push({ userId: item.userId, eventId: id, event: item.event, renamedFrom: renamedFrom(item.event), ...(item.username ? { usernameHint: item.username } : {}) });
      publishedBound(item.userId);
    }
    if (item.kind === 'association') {
      const fanOut = bindingChanges(boundNow, known);
      for (const userId of fanOut) ofThisChange.push({ userId, eventId: `${id}:${userId}`, event: item.event, renamedFrom: [] });
      fanOut.forEach(publishedBound);
      const deprovisions = fanOut.filter((userId) => !boundNow.has(userId)).length + (edgeLeaves ? 1 : 0);
      if (deprovisions > 1) for (const plan of ofThisChange) plan.change = { id, deprovisions, boundUsers: boundBefore };
    }
    planned.push(...ofThisChange);
  }
  return planned;
}

/** Users bound now but not published as bound, and the reverse, in a stable order. */
function bindingChanges(boundNow: ReadonlySet<string>, known: ReadonlySet<string>): string[] {
  const entered = [...boundNow].filter((id) => !known.has(id));
  const left = [...known].filter((id) => !boundNow.has(id));
  return [...entered, ...left].sort();
}
