import { Catch, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Nest's default RPC exception handling turns a handler's error into a plain
 * `{ status: 'error', message }` object, which would hide what kind of failure it was. This
 * filter hands the original error back to CloudEventsKafkaTransport, which decides: retry,
 * dead-letter (PermanentEventError, bugs) or wait (database away). Register it on every
 * microservice that uses the transport (runService does).
 */
@Catch()
export class RethrowEventHandlerErrorsFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
