import { DomainError } from '@ketenlink/contracts';

/**
 * Domain errors of the agreements service, in the shared DomainError shape the HTTP edge maps to
 * problem+json (libs/http): a refused transition or broken rule is 409 with nothing changed, an
 * inconsistent request 422, something not there or not visible 404.
 */
export class AgreementConflictError extends DomainError {
  constructor(code: string, message: string, errors: readonly string[] = []) {
    super('conflict', code, message, errors, { title: 'Not allowed in this state' });
  }
}

export class AgreementInputError extends DomainError {
  constructor(code: string, message: string, errors: readonly string[] = []) {
    super('unprocessable', code, message, errors, { title: 'Inconsistent agreement data' });
  }
}

export class NotFoundError extends DomainError {
  constructor(what: 'agreement' | 'notification' | 'violation' | 'incident' | 'trajectory') {
    super('not-found', `${what}-not-found`, `No ${what} with this id is visible to you.`, [], {
      title: 'Not found',
    });
  }
}

/** Someone else changed the agreement between read and write (optimistic locking). */
export class ConcurrentChangeError extends DomainError {
  constructor(expected: number, actual: number) {
    super(
      'conflict',
      'concurrent-change',
      `The agreement changed meanwhile (you had revision ${expected}, it is now ${actual}); read it again and retry.`,
      [],
      {
        title: 'Changed by someone else',
        extensions: { expectedRevision: expected, revision: actual },
      },
    );
  }
}
