import { CONTEXT_TOPIC_RETENTION_MS, DEAD_LETTER_RETENTION_MS } from '../topics/topics';
import {
  assertInboxOutlivesTopics,
  DEFAULT_INBOX_RETENTION_MS,
  DEFAULT_OUTBOX_RETENTION_MS,
  KAFKA_SEGMENT_SLACK_MS,
  RetentionConfigError,
  retentionFromEnv,
} from './retention';

const DAY = 24 * 60 * 60 * 1000;

describe('retention settings', () => {
  it('keeps inbox rows longer than any record can stay on a context topic, so replays dedupe', () => {
    expect(DEFAULT_INBOX_RETENTION_MS).toBeGreaterThan(
      CONTEXT_TOPIC_RETENTION_MS + KAFKA_SEGMENT_SLACK_MS,
    );
    // A dead letter replayed on its last day lands on the context topic: still covered.
    expect(DEFAULT_INBOX_RETENTION_MS).toBeGreaterThan(DEAD_LETTER_RETENTION_MS);
    expect(() => assertInboxOutlivesTopics(DEFAULT_INBOX_RETENTION_MS)).not.toThrow();
  });

  it('reads days from the environment, with defaults', () => {
    expect(retentionFromEnv({})).toEqual({
      outboxRetentionMs: DEFAULT_OUTBOX_RETENTION_MS,
      inboxRetentionMs: DEFAULT_INBOX_RETENTION_MS,
      intervalMs: 15 * 60 * 1000,
      batchSize: 1000,
    });
    expect(
      retentionFromEnv({
        KETENLINK_OUTBOX_RETENTION_DAYS: '1.5',
        KETENLINK_INBOX_RETENTION_DAYS: '500',
        KETENLINK_RETENTION_BATCH: '200',
      }),
    ).toMatchObject({ outboxRetentionMs: 1.5 * DAY, inboxRetentionMs: 500 * DAY, batchSize: 200 });
  });

  it('refuses an inbox retention shorter than the topics keep events, and nonsense', () => {
    expect(() => retentionFromEnv({ KETENLINK_INBOX_RETENTION_DAYS: '30' })).toThrow(
      RetentionConfigError,
    );
    expect(() => retentionFromEnv({ KETENLINK_INBOX_RETENTION_DAYS: '366' })).toThrow(
      /segment slack/,
    );
    expect(() => retentionFromEnv({ KETENLINK_OUTBOX_RETENTION_DAYS: '-1' })).toThrow(
      /positive number of days/,
    );
    expect(() => retentionFromEnv({ KETENLINK_RETENTION_BATCH: '0' })).toThrow(/positive integer/);
  });
});
