import { ProblemException } from './problem.exception';

/** What body-parser (Express) attaches to its errors. */
interface BodyParserError {
  type: string;
  status: number;
}

const PROBLEMS: Record<string, () => ProblemException> = {
  'entity.parse.failed': () =>
    new ProblemException(
      400,
      'malformed-json',
      'Malformed JSON',
      'The request body is not valid JSON.',
    ),
  'entity.too.large': () =>
    new ProblemException(
      413,
      'payload-too-large',
      'Payload Too Large',
      'The request body is too large.',
    ),
  'parameters.too.many': () =>
    new ProblemException(413, 'payload-too-large', 'Payload Too Large', 'Too many parameters.'),
  'encoding.unsupported': () =>
    new ProblemException(
      415,
      'unsupported-media-type',
      'Unsupported Media Type',
      'Unsupported content encoding.',
    ),
  'charset.unsupported': () =>
    new ProblemException(
      415,
      'unsupported-media-type',
      'Unsupported Media Type',
      'Unsupported charset.',
    ),
  'request.aborted': () =>
    new ProblemException(400, 'bad-request', 'Bad Request', 'The request was aborted.'),
  'request.size.invalid': () =>
    new ProblemException(
      400,
      'bad-request',
      'Bad Request',
      'Request size did not match Content-Length.',
    ),
};

/** The problem for a body-parser error, or undefined when `error` is something else. */
export function problemFromBodyParserError(error: unknown): ProblemException | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, status } = error as Partial<BodyParserError>;
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  return PROBLEMS[type]?.();
}

/**
 * Express error middleware placed right behind the JSON parser: Nest would otherwise
 * turn a JSON syntax error into a plain 400 carrying the parser's message.
 */
export function bodyParserErrorTranslator(
  error: unknown,
  _request: unknown,
  _response: unknown,
  next: (error?: unknown) => void,
): void {
  next(problemFromBodyParserError(error) ?? error);
}
