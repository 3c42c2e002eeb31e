import {
  contextTopic,
  formatEventType,
  interfaceNameOf,
  parseEventType,
  schemaPathOf,
  schemaUriOf,
  topicOf,
} from './event-types';

describe('event type names', () => {
  it('parses nl.ketenlink.<context>.<event>.v<major>', () => {
    expect(parseEventType('nl.ketenlink.trajectory.participant-joined.v1')).toEqual({
      context: 'trajectory',
      event: 'participant-joined',
      major: 1,
    });
    expect(parseEventType('nl.ketenlink.risk-assessment.recorded.v12').major).toBe(12);
  });

  it.each([
    'nl.ketenlink.trajectory.opened',
    'nl.ketenlink.trajectory.opened.v0',
    'nl.ketenlink.Trajectory.opened.v1',
    'nl.ketenlink.trajectory.opened.v1.extra',
    'com.example.trajectory.opened.v1',
    'nl.ketenlink.trajectory..v1',
  ])('rejects %s', (type) => {
    expect(() => parseEventType(type)).toThrow('not a Ketenlink event type');
  });

  it('formats, and derives schema path, URI and interface name', () => {
    const type = formatEventType('title', 'registered', 1);
    expect(type).toBe('nl.ketenlink.title.registered.v1');
    expect(schemaPathOf(type)).toBe('title.registered/v1.schema.json');
    expect(schemaUriOf(type)).toBe(
      'https://schemas.ketenlink.nl/events/title.registered/v1.schema.json',
    );
    expect(interfaceNameOf('nl.ketenlink.trajectory.participant-left.v2')).toBe(
      'TrajectoryParticipantLeftV2',
    );
  });

  it('maps each event type to the topic of the bounded context that owns it', () => {
    expect(topicOf('nl.ketenlink.trajectory.opened.v1')).toBe('ketenlink.trajectory.v1');
    expect(topicOf('nl.ketenlink.title.ended.v1')).toBe('ketenlink.trajectory.v1');
    expect(topicOf('nl.ketenlink.consent.revoked.v1')).toBe('ketenlink.trajectory.v1');
    expect(topicOf('nl.ketenlink.placement.requested.v1')).toBe('ketenlink.placement.v1');
    expect(topicOf('nl.ketenlink.risk-assessment.recorded.v1')).toBe('ketenlink.reviews.v1');
    expect(contextTopic('handover')).toBe('ketenlink.handover.v1');
    expect(() => topicOf('nl.ketenlink.weather.changed.v1')).toThrow(
      "no bounded context owns event type 'nl.ketenlink.weather.changed.v1'",
    );
  });
});
