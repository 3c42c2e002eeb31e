import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemTypeForStatus, statusTitle } from './problem-details';

/** Node's parser error codes (llhttp) and the answer each gets. */
function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/** The raw HTTP response Node would send for a client error, as problem+json. */
export function clientErrorResponse(code: string | undefined): string {
  const status = statusFor(code);
  const body = JSON.stringify({
    type: problemTypeForStatus(status),
    title: statusTitle(status),
    status,
    detail:
      status === 431
        ? 'The request headers are too large.'
        : status === 408
          ? 'The request took too long to arrive.'
          : 'The request could not be parsed as HTTP.',
  });
  return (
    `HTTP/1.1 ${status} ${statusTitle(status)}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n' +
    body
  );
}

/**
 * Node answers a malformed request line or oversized headers itself (a bare 400/431) before
 * any middleware runs; with this listener the answer is problem+json. Nothing of the request
 * is echoed or logged.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset or a socket already answered (Node wrote a response for this request): nothing to say.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(err.code));
  });
}
