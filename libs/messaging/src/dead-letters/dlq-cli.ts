/**
 * Dead letters for operators:  npm run dlq -- list <consumer-group>
 *                              npm run dlq -- replay <consumer-group> <offset>
 */
import { kafkaClients } from '../kafka/kafka-clients';
import { listDeadLetters, replayDeadLetter } from './dead-letters';

async function main(): Promise<void> {
  const [command, group, offset] = process.argv.slice(2);
  const kafka = kafkaClients({ clientId: 'ketenlink-dlq-cli' });
  if (command === 'list' && group) {
    const letters = await listDeadLetters(kafka, group);
    for (const d of letters) console.log(JSON.stringify(d));
    console.error(`${letters.length} dead letter(s) for ${group}`);
  } else if (command === 'replay' && group && offset) {
    const d = await replayDeadLetter(kafka, group, offset);
    console.error(
      `replayed offset ${offset} (${d.eventType ?? 'unknown type'}) to ${d.originalTopic}`,
    );
  } else {
    console.error('usage: npm run dlq -- list <consumer-group> | replay <consumer-group> <offset>');
    process.exit(2);
  }
}

void main().catch((err: unknown) => {
  console.error(String(err));
  process.exit(1);
});
