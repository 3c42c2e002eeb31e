import { EventEmitter } from 'node:events';
import type { Client, Pool } from 'pg';
import { connectionErrorFields, guardClient, guardPool } from './pool-errors';

const adminShutdown = () =>
  Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
    client: { connectionParameters: { password: 'secret' } },
  });

describe('pg pool error guards', () => {
  it('without a guard an idle client error kills the process (what PostgreSQL restarts did)', () => {
    const pool = new EventEmitter();
    expect(() => pool.emit('error', adminShutdown())).toThrow(/administrator command/);
  });

  it('logs idle and checked-out client errors instead of throwing', () => {
    const lines: Array<[object, string]> = [];
    const pool = guardPool(new EventEmitter() as unknown as Pool, (f, m) => lines.push([f, m]));
    const emitter = pool as unknown as EventEmitter;
    expect(() => emitter.emit('error', adminShutdown())).not.toThrow();
    const client = new EventEmitter();
    emitter.emit('connect', client);
    expect(() => client.emit('error', adminShutdown())).not.toThrow();
    expect(lines).toEqual([
      [
        { code: '57P01', err: 'terminating connection due to administrator command' },
        expect.stringContaining('idle connection lost'),
      ],
      [
        { code: '57P01', err: 'terminating connection due to administrator command' },
        expect.stringContaining('while in use'),
      ],
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('guards a lone (LISTEN) client', () => {
    const lines: object[] = [];
    const client = guardClient(new EventEmitter() as unknown as Client, (f) => lines.push(f));
    expect(() => (client as unknown as EventEmitter).emit('error', new Error('x'))).not.toThrow();
    expect(lines).toEqual([{ err: 'x' }]);
  });

  it('keeps only code and message of an error', () => {
    expect(connectionErrorFields(adminShutdown())).toEqual({
      code: '57P01',
      err: 'terminating connection due to administrator command',
    });
    expect(connectionErrorFields('plain')).toEqual({ err: 'plain' });
  });
});
