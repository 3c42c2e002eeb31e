import { metrics, metricsRegistry } from '@ketenlink/observability';
import { registryMessagingMetrics } from './metrics';

/** What the relay and the consumer report lands on the platform metric names (prom-client). */
describe('registryMessagingMetrics', () => {
  afterEach(() => {
    for (const m of Object.values(metrics)) m.reset();
  });

  it('writes the outbox backlog, publications, consumption, dead letters and lag', async () => {
    registryMessagingMetrics.outboxBacklog(12, 3.5);
    registryMessagingMetrics.published('ketenlink.trajectory.v1', 'nl.ketenlink.a.v1');
    registryMessagingMetrics.consumed(
      'ketenlink.trajectory.v1',
      'g',
      'nl.ketenlink.a.v1',
      'processed',
    );
    registryMessagingMetrics.consumed(
      'ketenlink.trajectory.v1',
      'g',
      'nl.ketenlink.a.v1',
      'duplicate',
    );
    registryMessagingMetrics.deadLettered('g', 'schema-invalid');
    registryMessagingMetrics.consumerLag('ketenlink.trajectory.v1', 2, 'g', 40);

    const text = await metricsRegistry.renderPrometheus();
    expect(text).toContain('\nketenlink_outbox_backlog 12\n');
    expect(text).toContain('\nketenlink_outbox_oldest_age_seconds 3.5\n');
    expect(text).toContain(
      '\nketenlink_events_published_total{topic="ketenlink.trajectory.v1",type="nl.ketenlink.a.v1"} 1\n',
    );
    // Only processed events count as consumed; a duplicate is not counted again.
    expect(text).toContain(
      '\nketenlink_events_consumed_total{group="g",topic="ketenlink.trajectory.v1",type="nl.ketenlink.a.v1"} 1\n',
    );
    expect(text).toContain('\nketenlink_dead_letters_total{group="g",reason="schema-invalid"} 1\n');
    expect(text).toContain(
      '\nketenlink_consumer_lag{group="g",topic="ketenlink.trajectory.v1",partition="2"} 40\n',
    );
  });
});
