import { topicPrefixFrom } from './topics';

describe('KETENLINK_TOPIC_PREFIX (a namespace per test run)', () => {
  const load = (prefix: string | undefined) => {
    const saved = process.env.KETENLINK_TOPIC_PREFIX;
    if (prefix === undefined) delete process.env.KETENLINK_TOPIC_PREFIX;
    else process.env.KETENLINK_TOPIC_PREFIX = prefix;
    try {
      let mod!: typeof import('./topics');
      jest.isolateModules(() => {
        mod = jest.requireActual<typeof import('./topics')>('./topics');
      });
      return mod;
    } finally {
      if (saved === undefined) delete process.env.KETENLINK_TOPIC_PREFIX;
      else process.env.KETENLINK_TOPIC_PREFIX = saved;
    }
  };

  it('leaves every name as it is when unset or empty', () => {
    for (const value of [undefined, '']) {
      const t = load(value);
      expect(t.CONTEXT_TOPICS.trajectory).toBe('ketenlink.trajectory.v1');
      expect(t.topicForEventType('nl.ketenlink.placement.requested.v1')).toBe(
        'ketenlink.placement.v1',
      );
    }
  });

  it('puts the prefix before every topic: context, routing, dead letters, partners', () => {
    const t = load('e2e-1a2b3c.');
    expect(t.contextTopics().map((s) => s.name)).toEqual([
      'e2e-1a2b3c.ketenlink.trajectory.v1',
      'e2e-1a2b3c.ketenlink.placement.v1',
      'e2e-1a2b3c.ketenlink.agreements.v1',
      'e2e-1a2b3c.ketenlink.reviews.v1',
      'e2e-1a2b3c.ketenlink.handover.v1',
      'e2e-1a2b3c.ketenlink.gateway.v1',
    ]);
    expect(t.topicForEventType('nl.ketenlink.trajectory.opened.v1')).toBe(
      'e2e-1a2b3c.ketenlink.trajectory.v1',
    );
    expect(t.deadLetterTopic('trajectory')).toBe('e2e-1a2b3c.ketenlink.dlq.trajectory.v1');
    expect(t.partnerTopic('org-x')).toBe('e2e-1a2b3c.ketenlink.partner.org-x.v1');
  });

  it('refuses a prefix that is not a plain namespace ending in a dot', () => {
    for (const bad of ['e2e', 'E2E.', '../x.', 'a b.', `${'x'.repeat(70)}.`]) {
      expect(() => topicPrefixFrom(bad)).toThrow(/KETENLINK_TOPIC_PREFIX/);
    }
    expect(topicPrefixFrom('e2e-run1.')).toBe('e2e-run1.');
  });
});
