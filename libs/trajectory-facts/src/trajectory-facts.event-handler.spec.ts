import 'reflect-metadata';
import { EVENT_TYPES } from '@ketenlink/contracts';
import { TRAJECTORY_FACT_EVENT_TYPES } from './trajectory-facts.event-handler';

describe('TRAJECTORY_FACT_EVENT_TYPES', () => {
  it("is read from the handlers' @EventPattern metadata: every type the projection handles, once", () => {
    expect([...TRAJECTORY_FACT_EVENT_TYPES].sort()).toEqual([
      'nl.ketenlink.consent.granted.v1',
      'nl.ketenlink.consent.revoked.v1',
      'nl.ketenlink.organisation.changed.v1',
      'nl.ketenlink.organisation.registered.v1',
      'nl.ketenlink.title.changed.v1',
      'nl.ketenlink.title.ended.v1',
      'nl.ketenlink.title.registered.v1',
      'nl.ketenlink.trajectory.case-lead-transferred.v1',
      'nl.ketenlink.trajectory.opened.v1',
      'nl.ketenlink.trajectory.participant-joined.v1',
      'nl.ketenlink.trajectory.participant-left.v1',
    ]);
    for (const t of TRAJECTORY_FACT_EVENT_TYPES) expect(EVENT_TYPES).toContain(t);
  });
});
