import { DomainError } from '@ketenlink/contracts';

/** A trajectory the caller's organisation does not take part in (or that is unknown): 404. */
export class TrajectoryNotVisibleError extends DomainError {
  constructor() {
    super(
      'not-found',
      'trajectory-not-found',
      'No trajectory with this id is visible to your organisation.',
      [],
      {
        title: 'Trajectory not found',
      },
    );
  }
}

/** An override document that names an unknown rule or setting: 422. */
export class InvalidRuleOverridesError extends DomainError {
  constructor(problems: readonly string[]) {
    super('unprocessable', 'invalid-rule-overrides', 'The rule overrides are not valid.', problems);
  }
}
