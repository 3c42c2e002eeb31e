import { DomainError } from '@ketenlink/contracts';

const capitalised = (s: string) => `${s[0]!.toUpperCase()}${s.slice(1)}`;

/**
 * Something the caller's organisation may not see, or that does not exist: 404 for both. An
 * unknown trajectory named in a request body is 422 (the request, not the URL, is wrong).
 */
export class NotFoundError extends DomainError {
  constructor(readonly what: 'placement' | 'location' | 'trajectory') {
    super(
      what === 'trajectory' ? 'unprocessable' : 'not-found',
      what === 'trajectory' ? 'unknown-trajectory' : `${what}-not-found`,
      what === 'trajectory'
        ? 'No trajectory with this id is known for your organisation.'
        : `No ${what} with this id is visible to your organisation.`,
      [],
      { title: what === 'trajectory' ? 'Unknown trajectory' : `${capitalised(what)} not found` },
    );
  }
}
