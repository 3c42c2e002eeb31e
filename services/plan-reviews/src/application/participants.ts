import { nextDate, startOfDay } from '@ketenlink/dates';
import type {
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';

/** A participation as projected into the schedule facts (instants as ISO strings). */
export interface ProjectedParticipant {
  readonly organisationId: string;
  readonly role: string;
  readonly from: string;
  readonly until?: string;
}

type WithParticipants = { readonly participants?: readonly ProjectedParticipant[] };

/** Joined: from 00:00 Amsterdam on `from` until the end of `until` (exclusive next day). */
export function joined<F extends WithParticipants>(f: F, d: TrajectoryParticipantJoinedV1): F {
  const rest = (f.participants ?? []).filter(
    (p) => !(p.organisationId === d.organisationId && p.role === d.role && !p.until),
  );
  const p: ProjectedParticipant = {
    organisationId: d.organisationId,
    role: d.role,
    from: startOfDay(d.from).toISOString(),
    ...(d.until ? { until: startOfDay(nextDate(d.until)).toISOString() } : {}),
  };
  return { ...f, participants: [...rest, p] };
}

/** Left at an instant: the open participation of that organisation and role ends there. */
export function left<F extends WithParticipants>(f: F, d: TrajectoryParticipantLeftV1): F {
  const at = new Date(d.at).toISOString();
  return {
    ...f,
    participants: (f.participants ?? []).map((p) =>
      p.organisationId === d.organisationId && p.role === d.role && (!p.until || p.until > at)
        ? { ...p, until: at }
        : p,
    ),
  };
}

/** Whether `org` takes part at `now`. */
export function takesPart(
  participations: readonly { organisationId: string; from: Date; until?: Date }[],
  org: string,
  now: Date,
): boolean {
  return participations.some(
    (p) => p.organisationId === org && p.from <= now && (!p.until || now < p.until),
  );
}
