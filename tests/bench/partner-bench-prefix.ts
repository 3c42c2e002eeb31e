// Imported first by tests/bench/gateway.ts and gateway-profile.ts: this run's own topics (libs/messaging reads
// KETENLINK_TOPIC_PREFIX once, at load); the gateway process is given the same prefix.
import { randomUUID } from 'node:crypto';

process.env.KETENLINK_TOPIC_PREFIX = `bench-${randomUUID().slice(0, 8)}.`;
