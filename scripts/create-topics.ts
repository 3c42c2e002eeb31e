/** Creates the platform's internal topics with their partitions and retention (idempotent). */
import { contextTopics, createKafka, KafkajsAdmin } from '@ketenlink/messaging';

async function main(): Promise<void> {
  const admin = new KafkajsAdmin(createKafka('ketenlink-topics'));
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
