/**
 * Domain errors of placement intake. The API maps them to problem+json: an illegal transition
 * or a broken business rule is 409 (nothing changed, nothing emitted), an inconsistent request 422.
 */
export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly command: string,
    readonly status: string,
  ) {
    super(`cannot ${command} a placement that is ${status}`);
  }
}

/** A rule of the domain refuses the change (e.g. the chosen location has no free place). */
export class PlacementConflictError extends Error {
  override readonly name = 'PlacementConflictError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The request contradicts itself (e.g. a title that ends before it starts). */
export class InvalidPlacementInputError extends Error {
  override readonly name = 'InvalidPlacementInputError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
