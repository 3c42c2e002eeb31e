import type { ValidationError } from '@nestjs/common';
import type { FieldError } from './problem-details';
import { ProblemException } from './problem.exception';

/** 400 `validation-error` listing every invalid field; thrown by the edge ValidationPipe. */
export class ValidationProblemException extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super(
      400,
      'validation-error',
      'Request validation failed',
      `Invalid field(s): ${errors.map((e) => e.field || '(body)').join(', ')}`,
      { errors },
    );
  }
}

/** class-validator's tree → flat list; never includes the rejected values. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = [parent, error.property].filter(Boolean).join('.');
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
