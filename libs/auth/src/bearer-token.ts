/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

export type BearerTokenResult = { ok: true; token: string } | { ok: false; missing: boolean };

/** Takes the token out of an `Authorization: Bearer <token>` header value. */
export function extractBearerToken(header: string | string[] | undefined): BearerTokenResult {
  if (header === undefined || header === '') return { ok: false, missing: true };
  if (typeof header !== 'string') return { ok: false, missing: false };
  const match = BEARER.exec(header.trim());
  return match ? { ok: true, token: match[1] } : { ok: false, missing: false };
}
