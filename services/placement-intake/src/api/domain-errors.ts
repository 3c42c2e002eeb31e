import { ProblemException } from '@ketenlink/http';
import { NotFoundError } from '../application/errors';
import {
  IllegalTransitionError,
  InvalidPlacementInputError,
  PlacementConflictError,
} from '../domain/placement-errors';

/**
 * Domain and application errors → RFC 9457 problems: illegal transition and business conflicts
 * 409, inconsistent input 422, not found or not yours 404. Anything else propagates (500).
 */
export async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw toProblemException(err);
  }
}

export function toProblemException(err: unknown): unknown {
  if (err instanceof IllegalTransitionError) {
    return new ProblemException(
      409,
      'illegal-placement-transition',
      'Not allowed in this state',
      err.message,
      {
        command: err.command,
        placementStatus: err.status,
      },
    );
  }
  if (err instanceof PlacementConflictError) {
    return new ProblemException(409, err.code, 'Placement rule refuses this change', err.message);
  }
  if (err instanceof InvalidPlacementInputError) {
    return new ProblemException(422, err.code, 'Inconsistent placement data', err.message);
  }
  if (err instanceof NotFoundError && err.what === 'trajectory') {
    return new ProblemException(
      422,
      'unknown-trajectory',
      'Unknown trajectory',
      'No trajectory with this id is known for your organisation.',
    );
  }
  if (err instanceof NotFoundError) {
    return new ProblemException(
      404,
      `${err.what}-not-found`,
      `${err.what[0]!.toUpperCase()}${err.what.slice(1)} not found`,
      `No ${err.what} with this id is visible to your organisation.`,
    );
  }
  return err;
}
