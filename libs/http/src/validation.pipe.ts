import { ValidationPipe } from '@nestjs/common';
import {
  flattenValidationErrors,
  ValidationProblemException,
} from './validation-problem.exception';

/**
 * The edge ValidationPipe: strips nothing silently (unknown fields are an error),
 * transforms payloads into their DTO classes, and reports every invalid field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // Rejected values may be personal data: keep them out of errors and logs.
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationProblemException(flattenValidationErrors(errors)),
  });
}
