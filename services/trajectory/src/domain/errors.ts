/**
 * Why a command was refused. The API maps `invalid` → 422 (400 for malformed input is the
 * edge's job), `conflict` → 409, `not-found` → 404, `forbidden` → 403. Nothing is stored when a
 * domain error is thrown: commands are pure and run before any write.
 */
export type DomainErrorKind = 'invalid' | 'conflict' | 'not-found' | 'forbidden';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable slug, the last segment of the problem+json `type`. */
    readonly code: string,
    message: string,
    /** Individual findings (e.g. every reason a consent record is unacceptable). */
    readonly errors: readonly string[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
