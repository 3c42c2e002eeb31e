import { buildCloudEvent } from '../envelope/cloud-event';
import { toKafkaRecord } from '../envelope/binary-mode';
import type { ProducerPort } from '../kafka/kafka.port';
import type { SqlExecutor } from '../sql';
import { EventProcessor, type EventHandlerFn } from './event-processor';

/**
 * TransactionScope: what the records of one inbox transaction share. A handler reads once per
 * transaction (memo) and writes once before the commit (beforeCommit), inside that transaction;
 * when the chunk fails, each record runs with a scope (and a flush) of its own.
 */
class RecordingManager {
  readonly writes: string[] = [];
  async query(sql: string): Promise<unknown[]> {
    const inbox = sql.startsWith('INSERT INTO inbox');
    this.writes.push(inbox ? 'inbox' : sql);
    return inbox ? [{ event_id: 'x' }] : [];
  }
}

const deadLetters = { send: async () => undefined } as unknown as ProducerPort;

function run(handler: EventHandlerFn, committed: RecordingManager[]) {
  return new EventProcessor({
    group: 'scope',
    resolveHandler: () => handler,
    validate: () => ({ ok: true }),
    transaction: async (work) => {
      const m = new RecordingManager();
      const out = await work(m as unknown as SqlExecutor);
      committed.push(m);
      return out;
    },
    deadLetters,
    retry: { attempts: 1, initialDelayMs: 1, maxDelayMs: 1 },
  });
}

const record = (n: number) => ({
  topic: 't',
  partition: 0,
  offset: String(n),
  ...toKafkaRecord(
    buildCloudEvent({
      type: 'nl.ketenlink.title.changed.v1',
      source: 'test',
      subject: `s-${n}`,
      dataschema: 'x',
      data: { n },
    }),
  ),
});

/** Reads "partners" once per transaction; collects one row per event, flushed before commit. */
function batchingHandler(failFlushWith?: string): EventHandlerFn {
  return async (event, tx, _position, scope) => {
    if (!scope) throw new Error('no scope');
    let rows = scope.memo.get('rows') as string[] | undefined;
    if (!rows) {
      const mine: string[] = [];
      rows = mine;
      scope.memo.set('rows', mine);
      await tx.query('read partners');
      scope.beforeCommit(async (t) => {
        if (failFlushWith && mine.includes(failFlushWith)) throw new Error('flush failed');
        await t.query(`insert ${mine.join(',')}`);
      });
    }
    rows.push(event.subject);
  };
}

describe('TransactionScope', () => {
  it('one read and one write for a whole chunk, the write inside its transaction after the last record', async () => {
    const committed: RecordingManager[] = [];
    const outcomes = await run(batchingHandler(), committed).processBatch({
      records: [record(1), record(2), record(3)],
    } as never);
    expect(outcomes).toEqual(['processed', 'processed', 'processed']);
    expect(committed.map((m) => m.writes)).toEqual([
      ['inbox', 'read partners', 'inbox', 'inbox', 'insert s-1,s-2,s-3'],
    ]);
  });

  it('a failing flush rolls the chunk back; each record then runs with a scope and a flush of its own', async () => {
    const committed: RecordingManager[] = [];
    const outcomes = await run(batchingHandler('s-2'), committed).processBatch({
      records: [record(1), record(2), record(3)],
    } as never);
    expect(outcomes).toEqual(['processed', 'dead-lettered', 'processed']);
    expect(committed.map((m) => m.writes)).toEqual([
      ['inbox', 'read partners', 'insert s-1'],
      ['inbox', 'read partners', 'insert s-3'],
    ]);
  });
});
