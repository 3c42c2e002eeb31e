import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { throwError, type Observable } from 'rxjs';
import { problemFromBodyParserError } from './body-parser-errors';
import { DomainError, domainErrorToProblem } from './domain-errors';
import { describeErrorForLog } from './error-log';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  databaseUnavailableCode,
  databaseUnavailableProblem,
} from './database-unavailable';
import {
  PROBLEM_CONTENT_TYPE,
  problemType,
  problemTypeForStatus,
  statusTitle,
  type ProblemDetails,
} from './problem-details';
import { ProblemException } from './problem.exception';

const GENERIC_DETAIL = 'An unexpected error occurred.';

/**
 * Renders every error leaving an HTTP handler as RFC 9457 problem+json. Unknown
 * errors become a 500 with a generic detail; the real error goes to the log only.
 * Non-HTTP contexts (message handlers) get the exception back untouched.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemDetailsFilter.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void | Observable<never> {
    if (host.getType() !== 'http') return throwError(() => exception);

    const { httpAdapter } = this.adapterHost;
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const path = String(httpAdapter.getRequestUrl(request) ?? '').split('?')[0];
    const problem: ProblemDetails = { ...toProblem(exception), instance: path };
    const dbDown = problem.status === 503 ? databaseUnavailableCode(exception) : undefined;

    if (dbDown) {
      // Expected during a database outage: one line, the code only (no stack, no pg internals).
      const method = String(httpAdapter.getRequestMethod(request));
      this.logger.warn(`${method} ${path}: database unavailable (${dbDown}), answered 503`);
    } else if (problem.status >= 500) {
      const method = String(httpAdapter.getRequestMethod(request));
      this.logger.error(
        `${method} ${path} failed with ${problem.status}`,
        describeErrorForLog(exception),
      );
    }
    if (httpAdapter.isHeadersSent(response)) return;
    httpAdapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    if (dbDown)
      httpAdapter.setHeader(response, 'Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
    // A string body: given an object, the Express adapter resets an error's
    // Content-Type to application/json.
    httpAdapter.reply(response, JSON.stringify(problem), problem.status);
  }
}

/** Maps anything thrown to problem details (without `instance`). */
export function toProblem(exception: unknown): ProblemDetails {
  if (exception instanceof ProblemException) return { ...exception.problem };
  if (exception instanceof DomainError) return { ...domainErrorToProblem(exception).problem };
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fromParser = problemFromBodyParserError(exception);
  if (fromParser) return { ...fromParser.problem };
  if (databaseUnavailableCode(exception)) return databaseUnavailableProblem();
  return {
    type: problemType('internal-error'),
    title: statusTitle(500),
    status: 500,
    detail: GENERIC_DETAIL,
  };
}

function fromHttpException(exception: HttpException): ProblemDetails {
  const status = exception.getStatus();
  const problem: ProblemDetails = {
    type: problemTypeForStatus(status),
    title: statusTitle(status),
    status,
  };
  // Client errors explain themselves; server errors never show their message.
  const detail = status < 500 ? detailOf(exception.getResponse()) : GENERIC_DETAIL;
  return detail ? { ...problem, detail } : problem;
}

function detailOf(response: string | object): string | undefined {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.filter((m) => typeof m === 'string').join('; ');
  return undefined;
}
