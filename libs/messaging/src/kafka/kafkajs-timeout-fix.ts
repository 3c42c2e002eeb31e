/**
 * kafkajs 2.2.4 prints `TimeoutNegativeWarning` on Node 24 (issue 9). The cause is
 * `RequestQueue#scheduleCheckPendingRequests`: with no throttle in place `throttledUntil` is -1,
 * so with nothing pending it hands `-1 - Date.now()` to `setTimeout`, which Node ≥ 23 clamps to
 * 1 ms with that warning; the timer calls `checkPendingRequests`, which schedules again: a 1 ms
 * timer loop on every broker connection for the life of the process (tulios/kafkajs#1704).
 * Fixed at the cause: with nothing pending no check is scheduled (a request that has to wait is
 * pushed to `pending` and schedules its own check, as before); otherwise the method is unchanged.
 * Applied once, when the kafkajs adapter loads; kafkajs-timeout-fix.spec.ts fails without it.
 */
import { createRequire } from 'node:module';

const CHECK_PENDING_REQUESTS_INTERVAL = 10; // as in kafkajs/src/network/requestQueue

interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  pending: unknown[];
  checkPendingRequests(): void;
}

const PATCHED = Symbol.for('ketenlink.kafkajs.requestQueue.patched');

export function patchKafkajsRequestQueue(): void {
  const require = createRequire(__filename);
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: RequestQueueLike & { scheduleCheckPendingRequests(): void; [PATCHED]?: true };
  };
  const proto = RequestQueue.prototype;
  if (proto[PATCHED]) return;
  proto.scheduleCheckPendingRequests = function (this: RequestQueueLike) {
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
    const throttledFor = this.throttledUntil - Date.now();
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null;
        this.checkPendingRequests();
      },
      throttledFor > 0 ? throttledFor : CHECK_PENDING_REQUESTS_INTERVAL,
    );
  };
  proto[PATCHED] = true;
}

patchKafkajsRequestQueue();
