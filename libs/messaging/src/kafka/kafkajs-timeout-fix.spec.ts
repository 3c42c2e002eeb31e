import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Runs kafkajs's RequestQueue the way a connection does (no throttle: `throttledUntil` -1) in a
 * fresh Node process, because Node emits the warning on the real process, not jest's sandbox.
 */
function warningsOf(withFix: boolean): string {
  const fix = path.join(__dirname, 'kafkajs-timeout-fix.ts');
  const script = `
    ${withFix ? `require(${JSON.stringify(fix)});` : ''}
    const RequestQueue = require('kafkajs/src/network/requestQueue');
    const noop = () => undefined;
    const q = new RequestQueue({
      instrumentationEmitter: { emit: noop }, maxInFlightRequests: 1, requestTimeout: 1000,
      enforceRequestTimeout: false, clientId: 't', broker: 't', isConnected: () => true,
      logger: { namespace: () => ({ debug: noop, info: noop, warn: noop, error: noop }) },
    });
    let checks = 0;
    const check = q.checkPendingRequests.bind(q);
    q.checkPendingRequests = () => { checks++; check(); };
    q.scheduleCheckPendingRequests();
    setTimeout(() => { process.stdout.write('checks=' + checks); process.exit(0); }, 50);
  `;
  const run = spawnSync(process.execPath, ['-r', '@swc-node/register', '-e', script], {
    cwd: path.resolve(__dirname, '../../../..'),
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(run.status).toBe(0);
  return `${run.stderr}\n${run.stdout}`;
}

describe('kafkajs RequestQueue on Node 24 (issue 9: TimeoutNegativeWarning)', () => {
  it('upstream (for contrast): warns, and schedules a check with nothing pending (a 1 ms loop)', () => {
    const out = warningsOf(false);
    expect(out).toContain('TimeoutNegativeWarning');
    // The 1 ms timer expires before the 50 ms exit timer, so at least one check has run.
    expect(Number(/checks=(\d+)/.exec(out)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('with the fix nothing is scheduled while nothing is pending: no warning, no loop', () => {
    const out = warningsOf(true);
    expect(out).not.toContain('TimeoutNegativeWarning');
    expect(out).toContain('checks=0');
  });
});
