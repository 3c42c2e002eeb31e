import { IntervalJob, intervalFromEnv } from './interval-job';

describe('IntervalJob (the periodic sweep timer)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs every interval, never two at once, and waits for the running one on stop', async () => {
    let release: () => void = () => undefined;
    let runs = 0;
    const job = new IntervalJob({
      service: 'test',
      what: 'sweep',
      intervalMs: 1000,
      run: () => {
        runs++;
        return new Promise<number>((r) => (release = () => r(0)));
      },
    });
    job.start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(1);
    await jest.advanceTimersByTimeAsync(3000); // still running: no second run
    expect(runs).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    let stopped = false;
    const stopping = job.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(2);
  });

  it('interval 0 never runs', async () => {
    const run = jest.fn(async () => 0);
    const job = new IntervalJob({ service: 'test', what: 'sweep', intervalMs: 0, run });
    job.start();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(run).not.toHaveBeenCalled();
    await job.stop();
  });

  it('reads the interval from the environment', () => {
    expect(intervalFromEnv('X_MS', 60_000, {})).toBe(60_000);
    expect(intervalFromEnv('X_MS', 60_000, { X_MS: '0' })).toBe(0);
    expect(() => intervalFromEnv('X_MS', 60_000, { X_MS: '-1' })).toThrow(/X_MS must be/);
    expect(() => intervalFromEnv('X_MS', 60_000, { X_MS: 'soon' })).toThrow(/X_MS must be/);
  });
});
