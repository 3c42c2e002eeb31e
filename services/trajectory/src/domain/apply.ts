import type { TrajectoryChange, TrajectoryState } from './trajectory';

/**
 * The state after `changes`, in memory: what the store writes, as a pure function. Used to
 * check a command's effect on its own actor's entitlement before anything is written.
 */
export function applyChanges(
  state: TrajectoryState,
  changes: readonly TrajectoryChange[],
): TrajectoryState {
  let s = state;
  for (const change of changes) {
    switch (change.kind) {
      case 'participation-added':
        s = { ...s, participations: [...s.participations, change.participation] };
        break;
      case 'participation-ended':
        s = {
          ...s,
          participations: s.participations.map((p) =>
            p.id === change.id ? { ...p, until: change.until } : p,
          ),
        };
        break;
      case 'title-added':
        s = { ...s, titles: [...s.titles, change.title] };
        break;
      case 'title-updated':
        s = { ...s, titles: s.titles.map((t) => (t.id === change.title.id ? change.title : t)) };
        break;
      case 'consent-added':
        s = { ...s, consents: [...s.consents, change.consent] };
        break;
      case 'consent-revoked':
        s = {
          ...s,
          consents: s.consents.map((c) =>
            c.id === change.id ? { ...c, revokedAt: change.revokedAt } : c,
          ),
        };
        break;
      case 'case-lead-transferred':
        s = {
          ...s,
          trajectory: { ...s.trajectory, caseLead: { organisationId: change.organisationId } },
        };
        break;
    }
  }
  return s;
}
