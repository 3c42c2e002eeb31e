import { trace } from '@opentelemetry/api';
import { createLogger, PinoNestLogger } from './logger';
import { setupTestTracing, type TestTracing } from './testing';
import { withSpan } from './trace-context';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line)) };
  return { lines, destination };
}

describe('createLogger', () => {
  let tracing: TestTracing;
  beforeAll(() => {
    tracing = setupTestTracing();
  });
  afterAll(() => tracing.shutdown());

  it('writes JSON with service, level label and ISO time; no trace ids outside a span', () => {
    const { lines, destination } = capture();
    createLogger('trajectory', { destination }).info({ event: 'x' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      service: 'trajectory',
      level: 'info',
      msg: 'hello',
      event: 'x',
    });
    expect(new Date(lines[0].time as string).toISOString()).toBe(lines[0].time);
    expect(lines[0]).not.toHaveProperty('trace_id');
  });

  it('mixes in trace_id and span_id of the active span', async () => {
    const { lines, destination } = capture();
    const logger = createLogger('trajectory', { destination });
    let ids = { traceId: '', spanId: '' };
    await withSpan('command', {}, async () => {
      ids = trace.getActiveSpan()!.spanContext();
      logger.info('inside');
    });
    expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('honours LOG_LEVEL and an explicit level', () => {
    const { lines, destination } = capture();
    const previous = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'warn';
    try {
      const logger = createLogger('s', { destination });
      logger.info('dropped');
      logger.warn('kept');
      createLogger('s', { destination, level: 'debug' }).debug('kept too');
    } finally {
      if (previous === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = previous;
    }
    expect(lines.map((l) => l.msg)).toEqual(['kept', 'kept too']);
  });

  it('redacts obvious identity fields and the authorization header', () => {
    const { lines, destination } = capture();
    createLogger('s', { destination }).info({
      bsn: '123456782',
      client: { bsn: '123456782', name: 'Jan', dateOfBirth: '1990-01-01', trajectoryId: 't-1' },
      req: { headers: { authorization: 'Bearer abc', accept: 'application/json' } },
    });
    expect(lines[0]).toMatchObject({
      bsn: '[REDACTED]',
      client: {
        bsn: '[REDACTED]',
        name: '[REDACTED]',
        dateOfBirth: '[REDACTED]',
        trajectoryId: 't-1',
      },
      req: { headers: { authorization: '[REDACTED]', accept: 'application/json' } },
    });
  });

  it('redacts free-text case fields and what database errors carry', () => {
    const { lines, destination } = capture();
    const err = Object.assign(new Error('query failed'), {
      query: 'INSERT INTO t VALUES ($1)',
      parameters: ['MARK-1'],
      detail: 'Key (notes)=(MARK-2) already exists.',
      driverError: { detail: 'MARK-3' },
    });
    const nest = new PinoNestLogger(createLogger('s', { destination }));
    nest.error(err);
    nest.error('failed', err);
    createLogger('s', { destination }).info({
      notes: 'MARK-4',
      placement: { medication: 'MARK-5', crucialInformation: { notes: 'MARK-6' } },
      body: { description: 'MARK-7' },
    });
    expect(lines).toHaveLength(3);
    expect(JSON.stringify(lines)).not.toMatch(/MARK-/);
  });
});

describe('PinoNestLogger', () => {
  it('maps Nest calls: trailing string = context, stack string = stack, levels', () => {
    const { lines, destination } = capture();
    const nest = new PinoNestLogger(createLogger('s', { destination, level: 'trace' }));
    const stack = 'Error: boom\n    at foo (/app/x.js:1:2)';
    nest.log('Mapped {/health/live, GET} route', 'RouterExplorer');
    nest.error('boom', stack, 'ExceptionsHandler');
    nest.error('boom without context', stack);
    nest.warn({ topic: 't' }, 'Relay');
    nest.verbose('fine detail');
    nest.error(new Error('as error'));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'Mapped {/health/live, GET} route',
        context: 'RouterExplorer',
      }),
      expect.objectContaining({ level: 'error', msg: 'boom', stack, context: 'ExceptionsHandler' }),
      expect.objectContaining({ level: 'error', msg: 'boom without context', stack }),
      expect.objectContaining({ level: 'warn', topic: 't', context: 'Relay' }),
      expect.objectContaining({ level: 'trace', msg: 'fine detail' }),
      expect.objectContaining({
        level: 'error',
        msg: 'as error',
        err: expect.objectContaining({ message: 'as error' }),
      }),
    ]);
    expect(lines[2]).not.toHaveProperty('context');
  });

  it('setLogLevels uses the most verbose enabled level', () => {
    const nest = new PinoNestLogger(createLogger('s', { destination: { write: () => {} } }));
    nest.setLogLevels(['error', 'warn', 'log']);
    expect(nest.logger.level).toBe('info');
    nest.setLogLevels([]);
    expect(nest.logger.level).toBe('silent');
  });
});
