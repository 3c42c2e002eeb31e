import { pointerSegment, type FieldError } from './problem-details';
import { ProblemException } from './problem.exception';
import { ValidationProblemException } from './validation-problem.exception';

/**
 * The request body rules of the edge (docs/adr/0016-http-edge.md), applied to the raw bytes
 * BEFORE anything recursive (JSON.parse, class-transformer, ValidationPipe) sees the body:
 *
 *   1. a body is JSON: `application/json`, charset absent or utf-8, identity encoding (else 415);
 *   2. at most `limit` bytes (413, enforced by the reader) and strict UTF-8 (400);
 *   3. nesting depth at most MAX_JSON_DEPTH, found by one linear scan of the text (400);
 *   4. after JSON.parse: no NUL, no lone surrogate (in keys or strings), no `null`, no
 *      prototype keys (`__proto__`, `constructor`, `prototype`); each finding is a 400 naming
 *      the field by JSON pointer. Values themselves never appear in the answer.
 */
export const MAX_JSON_DEPTH = 32;
/** Findings reported per request; the rest are summarised (a hostile body can hold thousands). */
const MAX_FINDINGS = 20;
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Minimal shape of the Node request the middleware needs. */
export interface BodyRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** True when the request announces a body (as `type-is`'s hasBody does). */
export function hasBody(req: BodyRequest): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const unsupported = (detail: string) =>
  new ProblemException(415, 'unsupported-media-type', 'Unsupported Media Type', detail);

/** 415 unless the content type is application/json with no charset or charset utf-8. */
export function checkJsonContentType(
  contentType: string | undefined,
): ProblemException | undefined {
  if (!contentType) return unsupported('A request body must be sent as application/json.');
  const [mediaType, ...params] = contentType.split(';');
  if (mediaType!.trim().toLowerCase() !== 'application/json') {
    return unsupported('A request body must be sent as application/json.');
  }
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = param
      .slice(0, eq < 0 ? undefined : eq)
      .trim()
      .toLowerCase();
    if (name !== 'charset') continue;
    const value = (eq < 0 ? '' : param.slice(eq + 1))
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (value !== 'utf-8' && value !== 'utf8') {
      return unsupported('Only charset utf-8 is accepted.');
    }
  }
  return undefined;
}

const malformed = (detail: string) =>
  new ProblemException(400, 'malformed-json', 'Malformed JSON', detail);

const CH_QUOTE = 0x22;
const CH_BACKSLASH = 0x5c;
const CH_OPEN_BRACE = 0x7b;
const CH_CLOSE_BRACE = 0x7d;
const CH_OPEN_BRACKET = 0x5b;
const CH_CLOSE_BRACKET = 0x5d;

/**
 * Deepest nesting of objects and arrays in a JSON text, stopping as soon as `max` is exceeded.
 * One pass, constant memory, no recursion: a hostile body costs what its length costs.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === CH_BACKSLASH) i++;
      else if (c === CH_QUOTE) inString = false;
    } else if (c === CH_QUOTE) {
      inString = true;
    } else if (c === CH_OPEN_BRACE || c === CH_OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CH_CLOSE_BRACE || c === CH_CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Raw body bytes → the parsed JSON value, or a 400 problem. The bytes were size-bounded before. */
export function parseJsonBody(raw: Buffer, maxDepth = MAX_JSON_DEPTH): unknown {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch {
    throw malformed('The request body is not valid UTF-8.');
  }
  if (text.charCodeAt(0) === 0xfeff)
    throw malformed('The request body starts with a byte order mark.');
  if (jsonDepthExceeds(text, maxDepth)) {
    throw new ProblemException(
      400,
      'json-too-deep',
      'JSON nested too deeply',
      `Objects and arrays may be nested at most ${maxDepth} levels deep.`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed('The request body is not valid JSON.');
  }
  const findings = findForbiddenValues(value);
  if (findings.length > 0) throw new ValidationProblemException(findings);
  return value;
}

// A NUL, or a surrogate half without its other half (not encodable as UTF-8, refused by
// PostgreSQL's json/jsonb and text types).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badTextMessage(text: string): string | undefined {
  const match = BAD_TEXT.exec(text);
  if (!match) return undefined;
  return match[0] === '\u0000'
    ? 'must not contain NUL (U+0000)'
    : 'must not contain a lone surrogate (invalid Unicode)';
}

/**
 * Every NUL, lone surrogate, `null` and prototype key in a parsed body, by JSON pointer.
 * Recursion is safe: the depth scan ran first.
 */
export function findForbiddenValues(value: unknown): FieldError[] {
  const findings: FieldError[] = [];
  let more = 0;
  const add = (pointer: string, message: string) => {
    if (findings.length < MAX_FINDINGS) findings.push({ pointer, message });
    else more++;
  };
  const visit = (v: unknown, pointer: string): void => {
    if (v === null) return add(pointer, 'must not be null (leave the field out instead)');
    if (typeof v === 'string') {
      const message = badTextMessage(v);
      if (message) add(pointer, message);
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => visit(item, `${pointer}/${i}`));
      return;
    }
    if (typeof v === 'object') {
      for (const key of Object.keys(v)) {
        const keyMessage = badTextMessage(key);
        const at = `${pointer}/${pointerSegment(keyMessage ? '(invalid key)' : key)}`;
        if (keyMessage) add(at, `property name ${keyMessage}`);
        else if (PROTOTYPE_KEYS.has(key)) add(at, `property ${key} should not exist`);
        else visit((v as Record<string, unknown>)[key], at);
      }
    }
  };
  visit(value, '');
  if (more > 0) findings.push({ pointer: '', message: `and ${more} more finding(s)` });
  return findings;
}
