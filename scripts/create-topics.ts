/** Creates the platform's internal topics with their partitions and retention (idempotent). */
import { contextTopics, kafkaClients } from '@ketenlink/messaging';

async function main(): Promise<void> {
  const admin = kafkaClients({ clientId: 'ketenlink-topics' }).admin();
  try {
    const created = await admin.ensureTopics(contextTopics());
    console.log(created.length ? `created: ${created.join(', ')}` : 'all topics exist');
  } finally {
    await admin.disconnect();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
