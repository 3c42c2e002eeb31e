import { DomainError, type DomainErrorKind } from '@ketenlink/contracts';
import { ProblemException } from './problem.exception';

const STATUS: Record<DomainErrorKind, number> = {
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  unprocessable: 422,
};
const TITLE: Record<DomainErrorKind, string> = {
  'not-found': 'Not found',
  conflict: 'Conflict',
  forbidden: 'Forbidden',
  unprocessable: 'Unprocessable content',
};

/** The one domain-error → problem+json mapping; the edge's filter applies it to every service. */
export function domainErrorToProblem(err: DomainError): ProblemException {
  return new ProblemException(
    STATUS[err.kind],
    err.code,
    err.title ?? TITLE[err.kind],
    err.message,
    {
      ...err.extensions,
      ...(err.errors.length
        ? { errors: err.errors.map((message) => ({ pointer: '', message })) }
        : {}),
    },
  );
}

export { DomainError };
