import { HttpException } from '@nestjs/common';
import { problemType, type ProblemDetails } from './problem-details';

const STANDARD_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'instance']);

/**
 * An HTTP error with its own problem type, rendered as RFC 9457 problem+json:
 *
 *   throw new ProblemException(409, 'agreement-already-active', 'Agreement already active',
 *     'Trajectory t-123 already has an active agreement with org-reclassering.');
 *
 * `type` is a slug under https://ketenlink.nl/problems/ or an absolute URI. The detail is
 * shown to the caller, also for 5xx: keep personal data and internals out of it.
 */
export class ProblemException extends HttpException {
  readonly problem: ProblemDetails;

  constructor(
    status: number,
    type: string,
    title: string,
    detail?: string,
    extensions: Record<string, unknown> = {},
  ) {
    const problem: ProblemDetails = {
      type: problemType(type),
      title,
      status,
      ...(detail === undefined ? {} : { detail }),
    };
    // Extension members follow the standard ones and cannot overwrite them.
    for (const [key, value] of Object.entries(extensions)) {
      if (!STANDARD_MEMBERS.has(key)) problem[key] = value;
    }
    super(problem, status);
    this.problem = problem;
    this.message = detail ?? title;
  }
}
