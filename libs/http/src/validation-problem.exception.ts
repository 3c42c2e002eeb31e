import type { ValidationError } from '@nestjs/common';
import { pointerSegment, type FieldError } from './problem-details';
import { ProblemException } from './problem.exception';

/** 400 `validation-error` listing every invalid field; thrown by the edge ValidationPipe. */
export class ValidationProblemException extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(
      400,
      'validation-error',
      'Request validation failed',
      `Invalid field(s): ${[...new Set(errors.map((e) => e.pointer || '(body)'))].join(', ')}`,
      { errors },
    );
  }
}

/** class-validator's tree → one finding per message, by JSON pointer; never the rejected values. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const pointer =
      error.property === undefined ? parent : `${parent}/${pointerSegment(error.property)}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ pointer, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], pointer)];
  });
}
