import { contextTopics, deadLetterTopic, partnerTopic, topicForEventType } from './topics';

describe('topic names (DO NOT CHANGE WITHOUT A MIGRATION PLAN)', () => {
  it('keeps the internal topic list stable', () => {
    expect(contextTopics()).toMatchInlineSnapshot(`
     [
       {
         "name": "ketenlink.trajectory.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
       {
         "name": "ketenlink.placement.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
       {
         "name": "ketenlink.agreements.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
       {
         "name": "ketenlink.reviews.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
       {
         "name": "ketenlink.handover.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
       {
         "name": "ketenlink.gateway.v1",
         "partitions": 6,
         "retentionMs": 31536000000,
       },
     ]
    `);
  });

  it('names dead-letter and partner topics, refusing unsafe names', () => {
    expect(deadLetterTopic('consumer-demo')).toBe('ketenlink.dlq.consumer-demo.v1');
    expect(partnerTopic('org-reclassering')).toBe('ketenlink.partner.org-reclassering.v1');
    expect(() => partnerTopic('../x')).toThrow();
    expect(() => deadLetterTopic('A B')).toThrow();
  });

  it('routes event types to their context topic', () => {
    expect(topicForEventType('nl.ketenlink.trajectory.opened.v1')).toBe('ketenlink.trajectory.v1');
    expect(topicForEventType('nl.ketenlink.title.registered.v1')).toBe('ketenlink.trajectory.v1');
    expect(topicForEventType('nl.ketenlink.placement.requested.v1')).toBe('ketenlink.placement.v1');
    expect(() => topicForEventType('com.example.x.v1')).toThrow();
  });
});
