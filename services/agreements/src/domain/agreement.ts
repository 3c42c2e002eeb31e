import type {
  AgreementActivatedV1,
  AgreementDraftedV1,
  AgreementTerminatedV1,
  EventPayloads,
} from '@ketenlink/contracts';
import { AgreementConflictError, AgreementInputError } from './errors';

/**
 * The three-party agreement (driepartijenovereenkomst) of a trajectory, a pure state machine
 * (R-CONDITIONS, R-NOTIFY, R-CONTACT, R-DRIEGESPREK, R-AANSPREEKPUNT):
 *
 *   draft ──sign×3──▶ activate ──▶ active ──amend──▶ amendment pending ──sign×3, activate──▶ active
 *     └──────────────────────────────┴──────────────┴──terminate──▶ terminated
 *
 * A recorded three-party talk (basis `recorded-talk`) is in force without signatures; its
 * amendments are in force at once. Every version stays readable. Commands take the state and
 * return the new state plus the events to emit; a refusal throws and changes nothing.
 */
export type Terms = AgreementDraftedV1['terms'];
export type Parties = AgreementDraftedV1['parties'];
export type Condition = Terms['conditions'][number];
export type Party = 'client' | 'probation' | 'provider';
export const PARTIES: readonly Party[] = ['client', 'probation', 'provider'];
export type Basis = AgreementActivatedV1['basis'];
export type TerminationReason = AgreementTerminatedV1['reason'];
export const TERM_SECTIONS = [
  'conditions',
  'notificationTriggers',
  'contactFrequencies',
  'driegesprek',
  'clientGoals',
  'probationGoals',
  'lifeAreaOwners',
  'firstPointOfContact',
  'houseRules',
] as const satisfies readonly (keyof Terms)[];
export type TermSection = (typeof TERM_SECTIONS)[number];

/** Who acts: a staff member for an organisation (token role), or the client himself. */
export type Actor =
  | { readonly kind: 'staff'; readonly organisationId: string; readonly role: string }
  | { readonly kind: 'client' };

export interface Signature {
  readonly party: Party;
  readonly at: Date;
  /** The staff member who signed for probation or the provider (absent for the client). */
  readonly by?: { readonly organisationId: string; readonly role: string };
}

export interface AgreementVersion {
  readonly version: number;
  readonly terms: Terms;
  readonly createdAt: Date;
  readonly createdBy: { readonly organisationId: string; readonly role: string };
  readonly reason?: string;
  readonly signatures: readonly Signature[];
  readonly activatedAt?: Date;
  /** For a recorded talk: the day it was held. */
  readonly heldOn?: string;
}

export interface Termination {
  readonly reason: TerminationReason;
  readonly on: string;
  readonly at: Date;
  readonly explanation?: string;
  readonly violationId?: string;
  readonly by?: { readonly organisationId: string; readonly role: string };
}

export interface Agreement {
  readonly id: string;
  readonly trajectoryId: string;
  readonly basis: Basis;
  readonly parties: Parties;
  /** Oldest first; versions are 1, 2, 3 … */
  readonly versions: readonly AgreementVersion[];
  /** The version in force, once one is. */
  readonly inForce?: number;
  readonly termination?: Termination;
  /** Optimistic-lock revision: +1 on every change (persistence compares it). */
  readonly revision: number;
}

export type AgreementStatus = 'draft' | 'active' | 'amendment-pending' | 'terminated';

export interface Emitted<T extends keyof EventPayloads = keyof EventPayloads> {
  readonly type: T;
  readonly data: EventPayloads[T];
}
export interface Result {
  readonly agreement: Agreement;
  readonly events: readonly Emitted[];
}

const emit = <T extends keyof EventPayloads>(type: T, data: EventPayloads[T]): Emitted =>
  ({ type, data }) as Emitted;

export function statusOf(a: Agreement): AgreementStatus {
  if (a.termination) return 'terminated';
  if (a.inForce === undefined) return 'draft';
  return latest(a).version === a.inForce ? 'active' : 'amendment-pending';
}

export function latest(a: Agreement): AgreementVersion {
  return a.versions[a.versions.length - 1]!;
}

export function versionOf(a: Agreement, version: number): AgreementVersion | undefined {
  return a.versions.find((v) => v.version === version);
}

/** The version in force, if any. */
export function inForce(a: Agreement): AgreementVersion | undefined {
  return a.inForce === undefined ? undefined : versionOf(a, a.inForce);
}

const staff = (actor: Actor) => {
  if (actor.kind !== 'staff')
    throw new AgreementConflictError('staff-only', 'Only staff can do this.');
  return { organisationId: actor.organisationId, role: actor.role };
};

/** Rules on the terms themselves (ids unique, references resolve, dates in order). */
export function checkTerms(terms: Terms, parties: Parties): void {
  const problems: string[] = [];
  const conditionIds = new Set<string>();
  for (const c of terms.conditions) {
    if (conditionIds.has(c.conditionId)) problems.push(`condition ${c.conditionId} appears twice`);
    conditionIds.add(c.conditionId);
  }
  const triggerIds = new Set<string>();
  for (const t of terms.notificationTriggers) {
    if (triggerIds.has(t.triggerId)) problems.push(`trigger ${t.triggerId} appears twice`);
    triggerIds.add(t.triggerId);
    if (t.conditionId !== undefined && !conditionIds.has(t.conditionId)) {
      problems.push(
        `trigger ${t.triggerId} names condition ${t.conditionId}, which is not in the agreement`,
      );
    }
    if (t.kind === 'condition-violation' && t.conditionId === undefined) {
      problems.push(`trigger ${t.triggerId} watches a condition violation but names no condition`);
    }
  }
  const between = terms.contactFrequencies.map((f) => f.between);
  if (new Set(between).size !== between.length) problems.push('a contact frequency is given twice');
  const d = terms.driegesprek;
  if (d.firstOn !== undefined && d.nextReviewOn < d.firstOn) {
    problems.push('the next review is before the first driegesprek');
  }
  const poc = terms.firstPointOfContact;
  const expected =
    poc.party === 'probation' ? parties.probationOrganisationId : parties.providerOrganisationId;
  if (poc.organisationId !== expected) {
    problems.push(
      `the first point of contact (${poc.party}) must be the ${poc.party} party's organisation`,
    );
  }
  if (problems.length > 0) {
    throw new AgreementInputError('invalid-terms', 'The terms contradict themselves.', problems);
  }
}

export interface DraftInput {
  readonly id: string;
  readonly trajectoryId: string;
  readonly parties: Parties;
  readonly terms: Terms;
  readonly by: Actor;
}

/** A new agreement as version 1, awaiting the three signatures. */
export function draft(input: DraftInput, now: Date): Result {
  checkTerms(input.terms, input.parties);
  const by = staff(input.by);
  const agreement: Agreement = {
    id: input.id,
    trajectoryId: input.trajectoryId,
    basis: 'signed-agreement',
    parties: input.parties,
    versions: [{ version: 1, terms: input.terms, createdAt: now, createdBy: by, signatures: [] }],
    revision: 1,
  };
  return {
    agreement,
    events: [
      emit('nl.ketenlink.agreement.drafted.v1', {
        trajectoryId: input.trajectoryId,
        agreementId: input.id,
        version: 1,
        parties: input.parties,
        terms: input.terms,
        draftedAt: now.toISOString(),
        draftedBy: by,
      }),
    ],
  };
}

/**
 * A three-party talk recorded as the basis of the cooperation, without signatures (an agreement
 * is a means, not a duty): in force at once.
 */
export function recordTalk(input: DraftInput & { readonly heldOn: string }, now: Date): Result {
  checkTerms(input.terms, input.parties);
  const by = staff(input.by);
  const agreement: Agreement = {
    id: input.id,
    trajectoryId: input.trajectoryId,
    basis: 'recorded-talk',
    parties: input.parties,
    versions: [
      {
        version: 1,
        terms: input.terms,
        createdAt: now,
        createdBy: by,
        signatures: [],
        activatedAt: now,
        heldOn: input.heldOn,
      },
    ],
    inForce: 1,
    revision: 1,
  };
  return {
    agreement,
    events: [
      emit('nl.ketenlink.agreement.talk-recorded.v1', {
        trajectoryId: input.trajectoryId,
        agreementId: input.id,
        version: 1,
        parties: input.parties,
        terms: input.terms,
        heldOn: input.heldOn,
        recordedAt: now.toISOString(),
        recordedBy: by,
      }),
      activated(agreement, 1, now),
    ],
  };
}

function refuseTerminated(a: Agreement, command: string): void {
  if (a.termination) {
    throw new AgreementConflictError(
      'agreement-terminated',
      `cannot ${command} an agreement that is terminated`,
    );
  }
}

/** Which party an actor signs for: the client himself, or staff of the party's organisation. */
export function partyOf(a: Agreement, actor: Actor): Party | undefined {
  if (actor.kind === 'client') return 'client';
  if (
    actor.organisationId === a.parties.probationOrganisationId &&
    actor.role === 'probation-officer'
  ) {
    return 'probation';
  }
  if (
    actor.organisationId === a.parties.providerOrganisationId &&
    ['support-worker', 'coordinator', 'placement-officer'].includes(actor.role)
  ) {
    return 'provider';
  }
  return undefined;
}

/** One party signs one version: only the latest, only once, only while it awaits signatures. */
export function sign(a: Agreement, version: number, actor: Actor, now: Date): Result {
  refuseTerminated(a, 'sign');
  const party = partyOf(a, actor);
  if (!party) {
    throw new AgreementConflictError(
      'not-a-party',
      'You do not sign for a party to this agreement.',
    );
  }
  if (a.basis === 'recorded-talk') {
    throw new AgreementConflictError('nothing-to-sign', 'A recorded talk is not signed.');
  }
  const current = latest(a);
  if (version !== current.version) {
    throw new AgreementConflictError(
      'outdated-version',
      `version ${version} is not the current version (${current.version}); read and sign that one`,
    );
  }
  if (current.activatedAt) {
    throw new AgreementConflictError('nothing-to-sign', `version ${version} is already in force`);
  }
  if (current.signatures.some((s) => s.party === party)) {
    throw new AgreementConflictError(
      'already-signed',
      `the ${party} already signed version ${version}`,
    );
  }
  const by =
    actor.kind === 'staff' ? { organisationId: actor.organisationId, role: actor.role } : undefined;
  const signature: Signature = { party, at: now, ...(by ? { by } : {}) };
  const agreement = replaceLatest(a, {
    ...current,
    signatures: [...current.signatures, signature],
  });
  return {
    agreement,
    events: [
      emit('nl.ketenlink.agreement.signed.v1', {
        trajectoryId: a.trajectoryId,
        agreementId: a.id,
        version,
        party,
        signedAt: now.toISOString(),
        ...(by ? { signedBy: by } : {}),
      }),
    ],
  };
}

/** The latest version comes into force once all three parties signed it. */
export function activate(a: Agreement, now: Date): Result {
  refuseTerminated(a, 'activate');
  const current = latest(a);
  if (current.activatedAt) {
    throw new AgreementConflictError(
      'already-active',
      `version ${current.version} is already in force`,
    );
  }
  const missing = PARTIES.filter((p) => !current.signatures.some((s) => s.party === p));
  if (missing.length > 0) {
    throw new AgreementConflictError(
      'signatures-missing',
      `version ${current.version} lacks the signature of: ${missing.join(', ')}`,
      missing.map((p) => `${p} has not signed version ${current.version}`),
    );
  }
  const agreement: Agreement = {
    ...replaceLatest(a, { ...current, activatedAt: now }),
    inForce: current.version,
  };
  return { agreement, events: [activated(agreement, current.version, now, a.inForce)] };
}

function activated(a: Agreement, version: number, now: Date, previous?: number): Emitted {
  return emit('nl.ketenlink.agreement.activated.v1', {
    trajectoryId: a.trajectoryId,
    agreementId: a.id,
    version,
    basis: a.basis,
    ...(previous !== undefined ? { previousVersion: previous } : {}),
    parties: a.parties,
    terms: versionOf(a, version)!.terms,
    activatedAt: now.toISOString(),
  });
}

/**
 * A new version with changed terms. Signed agreements: it awaits the three signatures again and
 * the version in force stays in force meanwhile. Recorded talks: in force at once.
 */
export function amend(
  a: Agreement,
  input: {
    readonly terms: Terms;
    readonly reason?: string;
    readonly by: Actor;
    readonly heldOn?: string;
  },
  now: Date,
): Result {
  refuseTerminated(a, 'amend');
  checkTerms(input.terms, a.parties);
  const by = staff(input.by);
  const previous = latest(a);
  const changed = changedSections(previous.terms, input.terms);
  if (changed.length === 0) {
    throw new AgreementInputError('no-change', 'The new terms equal the current version.');
  }
  const version = previous.version + 1;
  const talk = a.basis === 'recorded-talk';
  const next: AgreementVersion = {
    version,
    terms: input.terms,
    createdAt: now,
    createdBy: by,
    signatures: [],
    ...(input.reason ? { reason: input.reason } : {}),
    ...(talk ? { activatedAt: now, ...(input.heldOn ? { heldOn: input.heldOn } : {}) } : {}),
  };
  const agreement: Agreement = {
    ...a,
    versions: [...a.versions, next],
    ...(talk ? { inForce: version } : {}),
    revision: a.revision + 1,
  };
  const events: Emitted[] = [
    emit('nl.ketenlink.agreement.amended.v1', {
      trajectoryId: a.trajectoryId,
      agreementId: a.id,
      version,
      previousVersion: previous.version,
      terms: input.terms,
      changedSections: changed,
      ...(input.reason ? { reason: input.reason } : {}),
      amendedAt: now.toISOString(),
      amendedBy: by,
    }),
  ];
  if (talk) events.push(activated(agreement, version, now, a.inForce));
  return { agreement, events };
}

export interface TerminateInput {
  readonly reason: TerminationReason;
  readonly on: string;
  readonly explanation?: string;
  readonly violationId?: string;
  /** Absent when the end follows from an event (title ended). */
  readonly by?: Actor;
}

export function terminate(a: Agreement, input: TerminateInput, now: Date): Result {
  refuseTerminated(a, 'terminate');
  if (input.reason === 'violation' && !input.violationId) {
    throw new AgreementInputError(
      'violation-required',
      'A termination for a violation names the violation.',
    );
  }
  const by = input.by ? staff(input.by) : undefined;
  const termination: Termination = {
    reason: input.reason,
    on: input.on,
    at: now,
    ...(input.explanation ? { explanation: input.explanation } : {}),
    ...(input.violationId ? { violationId: input.violationId } : {}),
    ...(by ? { by } : {}),
  };
  const agreement: Agreement = { ...a, termination, revision: a.revision + 1 };
  return {
    agreement,
    events: [
      emit('nl.ketenlink.agreement.terminated.v1', {
        trajectoryId: a.trajectoryId,
        agreementId: a.id,
        version: a.inForce ?? latest(a).version,
        reason: input.reason,
        ...(input.explanation ? { explanation: input.explanation } : {}),
        ...(input.violationId ? { violationId: input.violationId } : {}),
        terminatedOn: input.on,
        terminatedAt: now.toISOString(),
        ...(by ? { terminatedBy: by } : {}),
      }),
    ],
  };
}

function replaceLatest(a: Agreement, v: AgreementVersion): Agreement {
  return { ...a, versions: [...a.versions.slice(0, -1), v], revision: a.revision + 1 };
}

const same = (x: unknown, y: unknown): boolean => JSON.stringify(x) === JSON.stringify(y);

export function changedSections(before: Terms, after: Terms): TermSection[] {
  return TERM_SECTIONS.filter((s) => !same(before[s], after[s]));
}

/** One difference between two versions. */
export type Change =
  | {
      readonly section: 'conditions' | 'notificationTriggers';
      readonly change: 'added' | 'removed' | 'changed';
      readonly id: string;
      readonly before?: unknown;
      readonly after?: unknown;
    }
  | {
      readonly section: TermSection;
      readonly change: 'changed';
      readonly before: unknown;
      readonly after: unknown;
    };

/**
 * The diff between two versions: conditions and triggers item by item (by their stable ids),
 * the other sections as a whole.
 */
export function diff(a: Agreement, from: number, to: number): Change[] {
  const x = versionOf(a, from);
  const y = versionOf(a, to);
  if (!x || !y)
    throw new AgreementInputError('unknown-version', `version ${!x ? from : to} does not exist`);
  const out: Change[] = [];
  const byId = <T>(
    section: 'conditions' | 'notificationTriggers',
    key: (t: T) => string,
    xs: readonly T[],
    ys: readonly T[],
  ) => {
    const before = new Map(xs.map((t) => [key(t), t]));
    const after = new Map(ys.map((t) => [key(t), t]));
    for (const [id, t] of before) {
      const u = after.get(id);
      if (!u) out.push({ section, change: 'removed', id, before: t });
      else if (!same(t, u)) out.push({ section, change: 'changed', id, before: t, after: u });
    }
    for (const [id, u] of after)
      if (!before.has(id)) out.push({ section, change: 'added', id, after: u });
  };
  byId('conditions', (c: Condition) => c.conditionId, x.terms.conditions, y.terms.conditions);
  byId(
    'notificationTriggers',
    (t: Terms['notificationTriggers'][number]) => t.triggerId,
    x.terms.notificationTriggers,
    y.terms.notificationTriggers,
  );
  for (const s of TERM_SECTIONS) {
    if (s === 'conditions' || s === 'notificationTriggers') continue;
    if (!same(x.terms[s], y.terms[s]))
      out.push({ section: s, change: 'changed', before: x.terms[s], after: y.terms[s] });
  }
  return out;
}

/**
 * The conditions registered with the title(s) on the trajectory as the starting point of a draft
 * (R-CONDITIONS: not typed again). Ids are derived by the caller (`newId`).
 */
export function conditionsFromTitles(
  titles: readonly {
    titleId: string;
    endedOn?: string;
    conditions: readonly { type: string; description: string }[];
  }[],
  newId: () => string,
): Condition[] {
  return titles
    .filter((t) => t.endedOn === undefined)
    .flatMap((t) =>
      t.conditions.map((c) => ({
        conditionId: newId(),
        type: c.type as Condition['type'],
        text: c.description,
        source: 'title-registration' as const,
        titleId: t.titleId,
      })),
    );
}
