import { SCIM_SCHEMA_URNS } from '@provisioning/schemas';
import { SCIM_ERROR_CODES } from './error-table.ts';
import { ScimRequestError } from './scim-request-error.ts';
import type { ScimHttpResponse } from './transport.ts';

/** Why a base URL and token do not work. */
export type VerifyProblem =
  | 'invalid-url' | 'unreachable' | 'tls' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-scim' | 'rate-limited' | 'server-error';

/** The answer of `verify()`: works, or exactly what is wrong, in words an operator can act on. */
export type VerifyResult =
  | { ok: true; message: string; totalUsers: number; patchSupported?: boolean | undefined }
  | { ok: false; problem: VerifyProblem; message: string; httpStatus?: number | undefined };

function problem(kind: VerifyProblem, message: string, httpStatus?: number): VerifyResult {
  return { ok: false, problem: kind, message, httpStatus };
}

/** Turns the error of the probing request into the precise reason. */
export function verifyFailure(error: unknown, where: string): VerifyResult {
  if (!(error instanceof ScimRequestError)) throw error;
  const status = error.httpStatus;
  switch (error.code) {
    case SCIM_ERROR_CODES.network:
      return problem('unreachable', `cannot reach ${where}: ${error.message.replace(/^.*network error /, '')}`);
    case SCIM_ERROR_CODES.tls:
      return problem('tls', `TLS to ${where} failed (certificate or protocol): ${error.message.replace(/^.*TLS failed /, '')}`);
    case SCIM_ERROR_CODES.timeout:
      return problem('timeout', `${where} did not answer in time`, status);
    case SCIM_ERROR_CODES.auth:
      return status === 403
        ? problem('forbidden', 'the token is valid but not allowed to manage users (HTTP 403)', status)
        : problem('unauthorized', `the token was refused (HTTP ${status ?? 401}); check or rotate the SCIM token`, status);
    case SCIM_ERROR_CODES.rateLimited:
    case SCIM_ERROR_CODES.unavailable:
      return problem('rate-limited', `the server is busy or rate limiting (HTTP ${status}); try again later`, status);
    case SCIM_ERROR_CODES.serverError:
    case SCIM_ERROR_CODES.notImplemented:
      return problem('server-error', `the server failed (HTTP ${status})`, status);
    default:
      return problem('not-scim', `${where}/Users does not answer as a SCIM endpoint (HTTP ${status ?? '?'}); the base URL should end with the SCIM root, e.g. …/scim/v2`, status);
  }
}

/** Checks that a 200 to `GET /Users?count=1` is a SCIM ListResponse. */
export function verifyListAnswer(response: ScimHttpResponse, where: string): VerifyResult {
  const body = response.body.kind === 'json' ? response.body.value : undefined;
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const schemas = JSON.stringify(record['schemas'] ?? '').toLowerCase();
  const total = Number(record['totalResults']);
  if (!schemas.includes(SCIM_SCHEMA_URNS.listResponse.toLowerCase()) && !Number.isFinite(total)) {
    const got = response.body.kind === 'text' ? 'a non-JSON page' : response.body.kind === 'empty' ? 'an empty body' : 'JSON that is not a ListResponse';
    return problem('not-scim', `${where}/Users answered HTTP ${response.status} with ${got}, not a SCIM ListResponse; check the base URL`, response.status);
  }
  const totalUsers = Number.isFinite(total) ? total : 0;
  return { ok: true, message: `SCIM endpoint verified: ${totalUsers} users visible`, totalUsers };
}

/** Reads `patch.supported` from a ServiceProviderConfig, if it is readable at all (discovery is only a hint; P25). */
export function patchSupportedHint(response: ScimHttpResponse): boolean | undefined {
  if (response.body.kind !== 'json') return undefined;
  const patch = (response.body.value as { patch?: { supported?: unknown } } | null)?.patch?.supported;
  return typeof patch === 'boolean' ? patch : undefined;
}
