/**
 * Issue 10, property (b): no actor's own command ever widens its own entitlement.
 *
 * Random command sequences by random actors (organisations of every kind with random roles,
 * clients, relatives, operators, domain events) over random trajectories, through the PURE
 * domain commands (runCommand). After every accepted command by an organisation, an oracle
 * written independently of libs/consent (its own role table, its own time arithmetic) must
 * find that the organisation receives nothing, at any instant from now on, that it did not
 * receive before. Relatives and operators never change anything. On failure fast-check prints
 * the seed and path; replay with FC_SEED=<seed> (and FC_PATH=<path>). The same generators and
 * oracle run a bounded sequence against the real HTTP API in api/authority.property.int-spec.ts.
 */
import fc from 'fast-check';
import {
  DAY,
  instants,
  opener,
  oracle,
  organisation,
  resolve,
  type ROLES,
  step,
  T0,
  TRAJECTORY,
} from '../test-support/authority-property';
import { applyChanges } from './apply';
import { runCommand } from './authority';
import { DomainError } from './errors';
import { openTrajectory, type TrajectoryState } from './trajectory';

function opened(org: string, role: (typeof ROLES)[number]): TrajectoryState {
  const o = openTrajectory({
    id: TRAJECTORY,
    participationId: 'p-open',
    now: new Date(T0),
    organisationId: org,
    role: 'coordinator',
    participantRole: role,
    subject: 'u',
  });
  return {
    trajectory: o.trajectory,
    participations: [o.participation],
    titles: [],
    consents: [],
    identityHeldBy: org,
  };
}

describe('property (b): no actor’s own command widens its own entitlement', () => {
  it('holds over random command sequences by random actors', () => {
    let accepted = 0;
    let refused = 0;
    const acceptedTypes = new Set<string>();
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(
        opener,
        fc.array(step, { minLength: 5, maxLength: 40, size: 'medium' }),
        ([org, role], steps) => {
          let state = opened(org, role);
          let now = T0;
          for (const s of steps) {
            now += s.advanceDays * DAY;
            const cmd = s.make(state, now, s.pick);
            const actor = resolve(s.actor, state, s.pick);
            let result;
            try {
              result = runCommand(state, actor, cmd, { now: new Date(now), organisation });
            } catch (err) {
              if (!(err instanceof DomainError)) throw err;
              refused++;
              if (process.env.FC_DEBUG) codes.set(err.code, (codes.get(err.code) ?? 0) + 1);
              continue;
            }
            // Relatives and operators never change a trajectory.
            expect(s.actor.kind).not.toBe('relative');
            if (s.actor.kind === 'organisation') expect(s.actor.roles).not.toContain('operator');
            const after = applyChanges(state, result.changes);
            if (s.actor.kind === 'organisation') {
              for (const t of instants(state, after, now)) {
                const was = oracle(state, s.actor.organisationId, t);
                const gained = [...oracle(after, s.actor.organisationId, t)].filter(
                  (c) => !was.has(c),
                );
                if (gained.length > 0) {
                  throw new Error(
                    `${s.actor.organisationId} widened its own entitlement with ${cmd.type}: ` +
                      `${gained.join(', ')} at ${new Date(t).toISOString()}`,
                  );
                }
              }
            }
            accepted++;
            acceptedTypes.add(`${actor.kind}:${cmd.type}`);
            state = after;
          }
        },
      ),
      {
        numRuns: 150,
        ...(process.env.FC_SEED ? { seed: Number(process.env.FC_SEED) } : {}),
        ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}),
      },
    );
    if (process.env.FC_DEBUG) console.log(accepted, refused, [...codes.entries()]);
    // Not vacuous: many commands went through, many were refused.
    expect(accepted).toBeGreaterThan(150);
    expect(refused).toBeGreaterThan(150);
    // Most kinds of command went through at least once (organisation, client and event).
    expect(acceptedTypes.size).toBeGreaterThanOrEqual(8);
  });
});
