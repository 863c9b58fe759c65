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

/** The v2 page size limit. */
const GRAPH_PAGE_SIZE = 100;
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

/** The JumpCloud calls the ingest makes, for one organization. */
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
    if (!user.success) throw badResponse(`systemuser ${userId}`, user.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    return user.data;
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
