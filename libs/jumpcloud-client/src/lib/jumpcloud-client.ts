import { z } from 'zod';
import {
  directoryInsightsEventSchema,
  graphObjectWithPathsListSchema,
  systemUserSchema,
  type DirectoryInsightsEvent,
  type SystemUser,
} from '@provisioning/schemas';
import { callJumpCloud, type JumpCloudHttpOptions, type JsonResponse } from './http.ts';
import { JumpCloudError } from './jumpcloud-error.ts';
import { verifyJumpCloud, type JumpCloudCheck } from './verify.ts';

/** The query of one Directory Insights page. */
export interface InsightsQuery {
  service: string[];
  startTime: string;
  endTime?: string;
  limit: number;
  searchAfter?: unknown[];
}

/** One page of Directory Insights: valid events, rows that did not parse, and the paging headers. */
export interface InsightsPage {
  events: DirectoryInsightsEvent[];
  invalidRows: number;
  resultCount: number;
  limit: number;
  /** `X-Search_after` of this page: send it back for the next one. */
  searchAfter: unknown[] | undefined;
}

export interface JumpCloudClientOptions extends JumpCloudHttpOptions {
  apiBaseUrl: string;
  insightsBaseUrl: string;
}

/** What `createUser` sends: the fields a new JumpCloud user needs, and the ones worth carrying over. */
export interface NewSystemUser {
  username: string;
  email: string;
  firstname?: string;
  lastname?: string;
  employeeIdentifier?: string;
  /** @defaultValue JumpCloud's own default (ACTIVATED for users created through the API) */
  state?: 'ACTIVATED' | 'STAGED';
}

/** Every user of the organization, and how many records did not parse (left out). */
export interface UserListing {
  users: SystemUser[];
  unreadable: number;
}

/** The v1 and v2 page size limit. */
const GRAPH_PAGE_SIZE = 100;
const V1_PAGE_SIZE = 100;
const eventRowsSchema = z.array(z.unknown());

function header(response: JsonResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function badResponse(label: string, problem: string): JumpCloudError {
  return new JumpCloudError(`${label}: ${problem}`, { code: 'JUMPCLOUD_BAD_RESPONSE' });
}

function parseSearchAfter(value: string | undefined): unknown[] | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) && parsed.length > 0 ? parsed : undefined;
  } catch {
    throw badResponse('Directory Insights', `X-Search_after is not JSON: ${value.slice(0, 80)}`);
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** The JumpCloud calls the pipeline makes for one organization: the ingest's reads, and the operator's writes. */
export class JumpCloudClient {
  private readonly options: JumpCloudClientOptions;

  constructor(options: JumpCloudClientOptions) {
    this.options = options;
  }

  /** One page of `POST /insights/directory/v1/events`. Rows that do not parse are counted, not returned. */
  async queryEvents(query: InsightsQuery): Promise<InsightsPage> {
    const body = {
      service: query.service,
      start_time: query.startTime,
      sort: 'ASC',
      limit: query.limit,
      ...(query.endTime ? { end_time: query.endTime } : {}),
      ...(query.searchAfter ? { search_after: query.searchAfter } : {}),
    };
    const response = await callJumpCloud(this.options, 'POST', `${this.options.insightsBaseUrl}/insights/directory/v1/events`, body);
    const rows = eventRowsSchema.safeParse(response.body);
    if (response.status !== 200 || !rows.success) throw badResponse('Directory Insights', `expected a JSON array, got status ${response.status}`);
    const parsed = rows.data.map((row) => directoryInsightsEventSchema.safeParse(row));
    const events = parsed.flatMap((p) => (p.success ? [p.data] : []));
    return {
      events,
      invalidRows: parsed.length - events.length,
      resultCount: Number(header(response, 'x-result-count') ?? rows.data.length),
      limit: Number(header(response, 'x-limit') ?? query.limit),
      searchAfter: parseSearchAfter(header(response, 'x-search_after')),
    };
  }

  /** `GET /api/systemusers/{id}`; undefined when JumpCloud no longer has the user (404). */
  async getUser(userId: string): Promise<SystemUser | undefined> {
    const response = await callJumpCloud(this.options, 'GET', `${this.options.apiBaseUrl}/api/systemusers/${encodeURIComponent(userId)}`);
    if (response.status === 404) return undefined;
    const user = systemUserSchema.safeParse(response.body);
    if (!user.success) throw badResponse(`systemuser ${userId}`, issues(user.error));
    return user.data;
  }

  /** Every systemuser, in pages of 100 sorted by `_id` (JumpCloud's advice for stable paging). */
  async listUsers(): Promise<UserListing> {
    const listing: UserListing = { users: [], unreadable: 0 };
    for (let skip = 0; ; skip += V1_PAGE_SIZE) {
      const page = await this.userPage(`limit=${V1_PAGE_SIZE}&skip=${skip}&sort=_id`);
      listing.users.push(...page.users);
      listing.unreadable += page.unreadable;
      if (page.rows < V1_PAGE_SIZE || skip + V1_PAGE_SIZE >= page.totalCount) return listing;
    }
  }

  /** The user with this username (JumpCloud usernames are unique), with a v1 `filter`; undefined when none. */
  async findUserByUsername(username: string): Promise<SystemUser | undefined> {
    const page = await this.userPage(`limit=2&filter=${encodeURIComponent(`username:$eq:${username}`)}`);
    return page.users.find((user) => user.username.toLowerCase() === username.toLowerCase());
  }

  /** `POST /api/systemusers`; a username or email JumpCloud already has is refused (JUMPCLOUD_REJECTED, 409/400). */
  async createUser(user: NewSystemUser): Promise<SystemUser> {
    const response = await callJumpCloud(this.options, 'POST', `${this.options.apiBaseUrl}/api/systemusers`, user);
    const created = systemUserSchema.safeParse(response.body);
    if (!created.success) throw badResponse('created systemuser', issues(created.error));
    return created.data;
  }

  /** Binds a user directly to the application (`POST /api/v2/applications/{id}/associations`, op add). */
  async bindUserToApplication(applicationId: string, userId: string): Promise<void> {
    const url = `${this.options.apiBaseUrl}/api/v2/applications/${encodeURIComponent(applicationId)}/associations`;
    const response = await callJumpCloud(this.options, 'POST', url, { op: 'add', type: 'user', id: userId });
    if (response.status === 404) throw new JumpCloudError(`application ${applicationId} or user ${userId} not found`, { code: 'JUMPCLOUD_REJECTED', status: 404 });
  }

  /**
   * Checks the API key and organization, the application id and Directory Insights, like an IdP's "verify
   * integration" step: one call each, no retries, and what is wrong in words an operator can act on.
   */
  verify(applicationId: string): Promise<JumpCloudCheck[]> {
    return verifyJumpCloud({ ...this.options, retries: 0 }, applicationId);
  }

  private async userPage(query: string): Promise<{ users: SystemUser[]; unreadable: number; rows: number; totalCount: number }> {
    const response = await callJumpCloud(this.options, 'GET', `${this.options.apiBaseUrl}/api/systemusers?${query}`);
    const list = z.looseObject({ totalCount: z.int().min(0), results: z.array(z.unknown()) }).safeParse(response.body);
    if (!list.success) throw badResponse('systemusers', 'not a { totalCount, results } list');
    const parsed = list.data.results.map((row) => systemUserSchema.safeParse(row));
    const users = parsed.flatMap((p) => (p.success ? [p.data] : []));
    return { users, unreadable: parsed.length - users.length, rows: parsed.length, totalCount: list.data.totalCount };
  }

  /** Every user bound to the application, directly or through groups (`GET /api/v2/applications/{id}/users`, all pages). */
  async listBoundUserIds(applicationId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    for (let skip = 0; ; skip += GRAPH_PAGE_SIZE) {
      const url = `${this.options.apiBaseUrl}/api/v2/applications/${encodeURIComponent(applicationId)}/users?limit=${GRAPH_PAGE_SIZE}&skip=${skip}`;
      const response = await callJumpCloud(this.options, 'GET', url);
      if (response.status === 404) throw new JumpCloudError(`application ${applicationId} not found`, { code: 'JUMPCLOUD_REJECTED', status: 404 });
      const page = graphObjectWithPathsListSchema.safeParse(response.body);
      if (!page.success) throw badResponse('application users', 'not a list of graph objects');
      for (const item of page.data) if (item.type === 'user') ids.add(item.id);
      if (page.data.length < GRAPH_PAGE_SIZE) return ids;
    }
  }
}
