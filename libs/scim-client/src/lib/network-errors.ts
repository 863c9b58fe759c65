import { SCIM_ERROR_CODES } from './error-table.ts';
import { ScimRequestError } from './scim-request-error.ts';

// Node/OpenSSL codes that mean the TLS setup is wrong (certificate, host name, protocol), not a blip.
const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED', 'CERT_REVOKED', 'EPROTO', 'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The `code` of an error or of the first error in its cause chain that has one. */
export function errorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

function isTlsFailure(code: string | undefined, message: string): boolean {
  if (code !== undefined && (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) return true;
  return /certificate|ssl routines|tls/i.test(message);
}

/**
 * Turns what undici threw (no HTTP status came back) into a {@link ScimRequestError}. `timedOut` says our
 * own per-request timer fired. The message names the low-level code only: undici messages carry host and
 * port, never headers, but we keep to the code so nothing surprising leaks.
 */
export function networkError(error: unknown, request: string, timedOut: boolean, timeoutMs: number): ScimRequestError {
  const code = errorCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new ScimRequestError(`SCIM ${request}: no response within ${timeoutMs} ms`, {
      code: SCIM_ERROR_CODES.timeout, retriable: true, request, cause: error,
    });
  }
  if (isTlsFailure(code, message)) {
    return new ScimRequestError(`SCIM ${request}: TLS failed (${code ?? 'handshake error'})`, {
      code: SCIM_ERROR_CODES.tls, retriable: false, request, cause: error,
    });
  }
  return new ScimRequestError(`SCIM ${request}: network error (${code ?? 'connection failed'})`, {
    code: SCIM_ERROR_CODES.network, retriable: true, request, cause: error,
  });
}
