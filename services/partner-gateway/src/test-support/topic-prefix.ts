// Imported FIRST by the gateway's int tests: each run gets its own topics (libs/messaging reads
// KETENLINK_TOPIC_PREFIX once, at load), so old events of earlier runs are never fanned out.
import { randomUUID } from 'node:crypto';

process.env.KETENLINK_TOPIC_PREFIX ??= `int-gw-${randomUUID().slice(0, 8)}.`;
