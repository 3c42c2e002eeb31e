/**
 * kafkajs 2.2.4 prints `TimeoutNegativeWarning` on Node 24 (issue 9). The cause is
 * `RequestQueue#scheduleCheckPendingRequests`: with no throttle in place `throttledUntil` is -1,
 * so `throttledUntil - Date.now()` is a large negative number handed to `setTimeout`, which
 * Node ≥ 23 clamps to 1 ms and warns about. This replaces that one method with the same logic
 * and the delay floored at 1 ms — exactly what Node did anyway, without the warning. Applied
 * once, when the kafkajs adapter loads; the test (kafkajs-timeout-fix.spec.ts) fails when the
 * upstream method is used.
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
    let scheduleAt = this.throttledUntil - Date.now();
    if (!this.throttleCheckTimeoutId) {
      if (this.pending.length > 0) {
        scheduleAt = scheduleAt > 0 ? scheduleAt : CHECK_PENDING_REQUESTS_INTERVAL;
      }
      this.throttleCheckTimeoutId = setTimeout(
        () => {
          this.throttleCheckTimeoutId = null;
          this.checkPendingRequests();
        },
        Math.max(1, scheduleAt),
      );
    }
  };
  proto[PATCHED] = true;
}

patchKafkajsRequestQueue();
