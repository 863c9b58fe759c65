import type { Logger } from 'pino';
import type { ScimUser } from '@provisioning/schemas';
import type { UserPage } from './responses.ts';

export interface PaginationLimits {
  pageSize: number;
  maxPages: number;
}

/**
 * Walks `GET /Users` pages and always ends (P12): starts at `startIndex=1`, advances by the number of items
 * actually received (not by `itemsPerPage`, which some servers echo from `count`), stops on an empty page,
 * once `totalResults` is reached, when a page brings no id not seen before (a server ignoring `startIndex`),
 * or after `maxPages`. Users are de-duplicated by id, since pages can shift between requests.
 */
export async function* paginateUsers(
  fetchPage: (startIndex: number, count: number) => Promise<UserPage>,
  limits: PaginationLimits,
  logger: Logger,
): AsyncGenerator<ScimUser> {
  const seen = new Set<string>();
  let startIndex = 1;
  for (let pageNumber = 1; pageNumber <= limits.maxPages; pageNumber++) {
    const page = await fetchPage(startIndex, limits.pageSize);
    let fresh = 0;
    for (const user of page.users) {
      const id = user.id ?? '';
      if (seen.has(id)) continue;
      seen.add(id);
      fresh += 1;
      yield user;
    }
    if (page.unreadable > 0) logger.warn({ startIndex, unreadable: page.unreadable }, 'scim list: skipped items that are not users');
    if (page.received === 0) return;
    startIndex += page.received;
    if (startIndex > page.totalResults) return;
    if (fresh === 0 && page.unreadable === 0) {
      logger.warn({ startIndex }, 'scim list: a page brought nothing new; stopping');
      return;
    }
  }
  logger.warn({ maxPages: limits.maxPages }, 'scim list: stopped at the page limit');
}
