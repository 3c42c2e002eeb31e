import { DomainError } from '@ketenlink/contracts';

/**
 * Domain errors of placement intake, in the shared DomainError shape the HTTP edge maps to
 * problem+json: an illegal transition or a broken business rule is 409 (nothing changed,
 * nothing emitted), an inconsistent request 422.
 */
export class IllegalTransitionError extends DomainError {
  constructor(
    readonly command: string,
    readonly status: string,
  ) {
    super(
      'conflict',
      'illegal-placement-transition',
      `cannot ${command} a placement that is ${status}`,
      [],
      { title: 'Not allowed in this state', extensions: { command, placementStatus: status } },
    );
  }
}

/** A rule of the domain refuses the change (e.g. the chosen location has no free place). */
export class PlacementConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message, [], { title: 'Placement rule refuses this change' });
  }
}

/** The request contradicts itself (e.g. a title that ends before it starts). */
export class InvalidPlacementInputError extends DomainError {
  constructor(code: string, message: string) {
    super('unprocessable', code, message, [], { title: 'Inconsistent placement data' });
  }
}
