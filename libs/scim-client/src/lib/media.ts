/** The SCIM media type (RFC 7644 §8.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';
/** Sent as `Accept`: SCIM first, plain JSON welcome (servers reply with either, pitfall P16). */
export const ACCEPT_HEADER = 'application/scim+json, application/json;q=0.9, */*;q=0.1';

const SNIPPET_LENGTH = 500;

/** A parsed response body: JSON when there was some, or the raw text when it was not JSON. */
export type ParsedBody =
  | { readonly kind: 'empty' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly snippet: string };

/**
 * Reads a body whatever the server labelled it: any `*json*` media type, or JSON without a content type.
 * Never parses an empty body (204, or 200 with nothing; pitfall P15) and keeps a short snippet of
 * anything that is not JSON (an HTML error page from a proxy; pitfall P24).
 */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (looksJson) {
    try {
      return { kind: 'json', value: JSON.parse(trimmed) as unknown };
    } catch {
      // Labelled JSON but not JSON: fall through and keep it as text.
    }
  }
  return { kind: 'text', snippet: trimmed.slice(0, SNIPPET_LENGTH) };
}
