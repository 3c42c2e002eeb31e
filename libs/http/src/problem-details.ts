import { STATUS_CODES } from 'node:http';

/** RFC 9457 problem details, as sent with `Content-Type: application/problem+json`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Extension members, e.g. `errors` on validation problems. */
  [extension: string]: unknown;
}

/**
 * One finding about a request, in the `errors` member of a problem: an RFC 6901 JSON pointer
 * into the request body (`/conditions/0/description`; `""` is the body or request as a whole)
 * and a message. Never the rejected value.
 */
export interface FieldError {
  pointer: string;
  message: string;
}

/** RFC 6901 pointer segment: `a/b` → `a~1b`. */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const PROBLEM_TYPE_BASE = 'https://ketenlink.nl/problems/';

/** `conflict` → `https://ketenlink.nl/problems/conflict`; absolute URIs (and about:blank) pass unchanged. */
export function problemType(slugOrUri: string): string {
  return /^[a-z][a-z0-9+.-]*:/i.test(slugOrUri) ? slugOrUri : `${PROBLEM_TYPE_BASE}${slugOrUri}`;
}

const SLUG_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  410: 'gone',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-content',
  429: 'too-many-requests',
  500: 'internal-error',
  502: 'bad-gateway',
  503: 'service-unavailable',
  504: 'gateway-timeout',
};

/** Problem type for a plain HTTP status: ours where we name it, `about:blank` otherwise. */
export function problemTypeForStatus(status: number): string {
  const slug = SLUG_BY_STATUS[status];
  return slug ? problemType(slug) : 'about:blank';
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
