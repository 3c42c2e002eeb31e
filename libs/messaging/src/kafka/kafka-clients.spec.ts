import { DEFAULT_KAFKA_CLIENT, kafkaClientFromEnv } from './kafka-clients';

describe('KETENLINK_KAFKA_CLIENT', () => {
  it('selects the adapter, the default when unset', () => {
    expect(kafkaClientFromEnv({})).toBe(DEFAULT_KAFKA_CLIENT);
    expect(kafkaClientFromEnv({ KETENLINK_KAFKA_CLIENT: 'platformatic' })).toBe('platformatic');
    expect(kafkaClientFromEnv({ KETENLINK_KAFKA_CLIENT: ' kafkajs ' })).toBe('kafkajs');
  });

  it('refuses an unknown adapter name', () => {
    expect(() => kafkaClientFromEnv({ KETENLINK_KAFKA_CLIENT: 'rdkafka' })).toThrow(
      /must be kafkajs or platformatic/,
    );
  });
});
