/**
 * A relay in its own process, for the crash test: after each batch is acknowledged by Kafka it
 * prints SENT and waits before marking the rows published, so a SIGKILL lands between send and mark — the worst
 * moment (the batch is on the wire, still unpublished and leased to this relay in the outbox).
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
const inner = kafkaClients({ clientId: 'relay-crash-test' }).producer();
const producer: ProducerPort = {
  connect: () => inner.connect(),
  disconnect: () => inner.disconnect(),
  async send(records: readonly OutgoingRecord[], options?: SendOptions) {
    await inner.send(records, options);
    process.stdout.write(`SENT ${records.length}\n`);
    await new Promise((r) => setTimeout(r, 300));
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
