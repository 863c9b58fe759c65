/** An answer of the emulator before it is written to the socket. */
export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** The userName the request was about, for the request log (counts by userName). */
  userName?: string | undefined;
}

/** The SCIM error message URN (RFC 7644 §3.12). */
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** A SCIM error answer: `status` as a string, as RFC 7644 §3.12 says. */
export function scimError(status: number, detail: string, scimType?: string, userName?: string): SimResponse {
  const body: Record<string, unknown> = { schemas: [ERROR_URN], status: String(status), detail };
  if (scimType !== undefined) body['scimType'] = scimType;
  return { status, body, userName };
}

/** Thrown inside handlers to answer with a SCIM error. */
export class SimError extends Error {
  readonly response: SimResponse;

  constructor(status: number, detail: string, scimType?: string) {
    super(detail);
    this.name = 'SimError';
    this.response = scimError(status, detail, scimType);
  }
}
