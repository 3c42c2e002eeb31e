/**
 * A relay in its own process, for the crash test: after each batch is acknowledged by Kafka it
 * prints SENT; the send number RELAY_HOLD_AT_SEND (acknowledged, printed) then never returns, so
 * its rows are never marked published and a SIGKILL lands between send and mark — the worst
 * moment (the batch is on the wire, still unpublished and leased to this relay in the outbox) —
 * however long the kill takes to arrive (no sleep to outlast).
 */
import { Pool } from 'pg';
import {
  kafkaClients,
  OutboxRelay,
  type OutgoingRecord,
  type ProducerPort,
  type SendOptions,
} from '../src';

const url = process.env.RELAY_DATABASE_URL!;
const holdAt = Number(process.env.RELAY_HOLD_AT_SEND ?? 0);
let sends = 0;
const inner = kafkaClients({ clientId: 'relay-crash-test' }).producer();
const producer: ProducerPort = {
  connect: () => inner.connect(),
  disconnect: () => inner.disconnect(),
  async send(records: readonly OutgoingRecord[], options?: SendOptions) {
    await inner.send(records, options);
    process.stdout.write(`SENT ${records.length}\n`);
    if (++sends === holdAt) await new Promise<never>(() => undefined); // held until killed
  },
};
const relay = new OutboxRelay({
  pool: new Pool({ connectionString: url }),
  listenUrl: url,
  producer,
  batchSize: 50,
  // Short, so the relays taking over do not wait long for the killed relay's leased batch.
  sendTimeoutMs: 2_000,
  leaseMs: 3_000,
});
void relay.start().then(() => process.stdout.write('STARTED\n'));
