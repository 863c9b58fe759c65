import { callJumpCloud, type JsonResponse } from './http.ts';
import type { JumpCloudClientOptions } from './jumpcloud-client.ts';
import { JumpCloudError } from './jumpcloud-error.ts';

/** What `verify` checks, in order: each later check needs the earlier ones to pass. */
export type JumpCloudCheckName = 'api-key' | 'application' | 'directory-insights';

/** One verified setting: passed, failed (with what to fix), or not checked because an earlier one failed. */
export interface JumpCloudCheck {
  name: JumpCloudCheckName;
  status: 'ok' | 'failed' | 'skipped';
  message: string;
  httpStatus?: number;
}

function header(response: JsonResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The failure of a probing call in words: unreachable, refused key, wrong organization, or an odd answer. */
function failure(name: JumpCloudCheckName, error: unknown, where: string, orgId: string): JumpCloudCheck {
  if (!(error instanceof JumpCloudError)) throw error;
  const httpStatus = error.status;
  const fail = (message: string): JumpCloudCheck => ({ name, status: 'failed', message, ...(httpStatus ? { httpStatus } : {}) });
  switch (error.code) {
    case 'JUMPCLOUD_NETWORK':
      return fail(`cannot reach ${where}: ${error.message.replace(/^.* failed: /, '')}`);
    case 'JUMPCLOUD_UNAUTHORIZED':
      return fail(`the API key was refused for organization ${orgId} (HTTP ${httpStatus}): check the tenant's apiKey and orgId`);
    case 'JUMPCLOUD_RATE_LIMITED':
    case 'JUMPCLOUD_UNAVAILABLE':
      return fail(`${where} is busy or failing (HTTP ${httpStatus}); try again later`);
    case 'JUMPCLOUD_BAD_RESPONSE':
      return fail(`${where} did not answer as the JumpCloud API does (${error.message}); check the base URL`);
    default:
      return fail(`${where} refused the request (HTTP ${httpStatus}); ${httpStatus === 400 ? 'check orgId (x-org-id)' : 'check the base URL'}`);
  }
}

async function probe(name: JumpCloudCheckName, where: string, orgId: string, call: () => Promise<JsonResponse>, ok: (response: JsonResponse) => JumpCloudCheck) {
  try {
    return ok(await call());
  } catch (error) {
    return failure(name, error, where, orgId);
  }
}

function checkKey(options: JumpCloudClientOptions): Promise<JumpCloudCheck> {
  const where = `${options.apiBaseUrl}/api/systemusers`;
  return probe('api-key', where, options.orgId, () => callJumpCloud(options, 'GET', `${where}?limit=1`), (response) => {
    const total = (response.body as { totalCount?: unknown } | undefined)?.totalCount;
    if (response.status !== 200 || typeof total !== 'number') {
      return { name: 'api-key', status: 'failed', message: `${where} answered HTTP ${response.status} without a user list; check apiBaseUrl`, httpStatus: response.status };
    }
    return { name: 'api-key', status: 'ok', message: `API key accepted for organization ${options.orgId} (${total} users)` };
  });
}

function checkApplication(options: JumpCloudClientOptions, applicationId: string): Promise<JumpCloudCheck> {
  const where = `${options.apiBaseUrl}/api/v2/applications/${encodeURIComponent(applicationId)}/users`;
  return probe('application', where, options.orgId, () => callJumpCloud(options, 'GET', `${where}?limit=1`), (response) => {
    if (response.status === 404) {
      return { name: 'application', status: 'failed', message: `organization ${options.orgId} has no application ${applicationId}: check the tenant's applicationId`, httpStatus: 404 };
    }
    const bound = header(response, 'x-total-count');
    return { name: 'application', status: 'ok', message: `application ${applicationId} found${bound === undefined ? '' : ` (${bound} users bound)`}` };
  });
}

function checkInsights(options: JumpCloudClientOptions): Promise<JumpCloudCheck> {
  const where = `${options.insightsBaseUrl}/insights/directory/v1/events`;
  const body = { service: ['directory'], start_time: new Date(Date.now() - 3_600_000).toISOString(), limit: 1 };
  return probe('directory-insights', where, options.orgId, () => callJumpCloud(options, 'POST', where, body), (response) =>
    Array.isArray(response.body)
      ? { name: 'directory-insights', status: 'ok', message: 'Directory Insights answers for this organization' }
      : { name: 'directory-insights', status: 'failed', message: `${where} answered HTTP ${response.status} without an event list; check insightsBaseUrl`, httpStatus: response.status },
  );
}

const skipped = (name: JumpCloudCheckName, because: string): JumpCloudCheck => ({ name, status: 'skipped', message: `not checked: ${because}` });

/** Runs the checks in order; a later check is skipped when the key itself does not work. */
export async function verifyJumpCloud(options: JumpCloudClientOptions, applicationId: string): Promise<JumpCloudCheck[]> {
  const key = await checkKey(options);
  if (key.status !== 'ok') return [key, skipped('application', 'the API key does not work'), skipped('directory-insights', 'the API key does not work')];
  return [key, await checkApplication(options, applicationId), await checkInsights(options)];
}
