/** Something the caller's organisation may not see, or that does not exist: the API says 404 for both. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
  constructor(readonly what: 'placement' | 'location' | 'trajectory') {
    super(`${what} not found`);
  }
}
