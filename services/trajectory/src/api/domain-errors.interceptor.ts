import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { ProblemException } from '@ketenlink/http';
import { catchError, type Observable, throwError } from 'rxjs';
import { DomainError, type DomainErrorKind } from '../domain/errors';

const STATUS: Record<DomainErrorKind, number> = {
  invalid: 422,
  conflict: 409,
  'not-found': 404,
  forbidden: 403,
};

/** Domain refusals → problem+json with their findings in `errors`. */
export function toProblemException(err: DomainError): ProblemException {
  return new ProblemException(
    STATUS[err.kind],
    err.code,
    err.message,
    err.errors.length ? err.errors.join('; ') : undefined,
    err.errors.length ? { errors: err.errors } : {},
  );
}

@Injectable()
export class DomainErrorsInterceptor implements NestInterceptor {
  intercept(_ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((err: unknown) =>
          throwError(() => (err instanceof DomainError ? toProblemException(err) : err)),
        ),
      );
  }
}
