/**
 * Authority over the policy's inputs (issue 10; docs/consent-model.md; ADR 0019): who may change
 * participation, titles and consent records of a trajectory. Nobody widens their own
 * entitlement: besides the explicit rules below, every command by an organisation is refused
 * when the state it leaves would give that organisation more, at any instant from now on, than
 * the state before. Plain TypeScript: the command service and the property test run this.
 */
import { type DataCategory, isDataCategory } from '@ketenlink/contracts';
import { decide, permittedCategories, type Recipient } from '@ketenlink/consent';
import { applyChanges } from './apply';
import { revokeConsent, recordConsent } from './consents';
import { calendarDate } from '@ketenlink/dates';
import { participatesNow, policyFacts } from './disclosure';
import { DomainError } from './errors';
import { assertRoleFits, type Organisation } from './organisations';
import { type JoinInput, joinParticipant, leaveParticipant } from './participants';
import {
  type ChangeTitleInput,
  changeTitle,
  endTitle,
  legalDutyUntilOf,
  registerTitle,
  type RegisterTitleInput,
} from './titles';
import type {
  CommandResult,
  ConsentEntry,
  ConsentSource,
  TitleEndReason,
  TrajectoryState,
} from './trajectory';

/** Who issues a command. */
export type Actor =
  | {
      readonly kind: 'organisation';
      readonly subject: string;
      readonly organisationId: string;
      readonly roles: readonly string[];
    }
  | { readonly kind: 'client'; readonly subject: string; readonly trajectoryId: string }
  | { readonly kind: 'relative'; readonly subject: string; readonly trajectoryId: string }
  /** A consumed domain event (move-in, handover completion, end of placement). */
  | { readonly kind: 'event'; readonly type: string };

/** The command with its input as the edge parsed it. */
export type CaseCommand =
  | { readonly type: 'join'; readonly input: JoinInput }
  | { readonly type: 'leave'; readonly participationId: string; readonly at?: Date }
  | { readonly type: 'transfer-case-lead'; readonly organisationId: string }
  | { readonly type: 'register-title'; readonly input: RegisterTitleInput }
  | { readonly type: 'change-title'; readonly titleId: string; readonly input: ChangeTitleInput }
  | {
      readonly type: 'end-title';
      readonly titleId: string;
      readonly input: { readonly endedOn: string; readonly reason: TitleEndReason };
    }
  | {
      readonly type: 'record-consent';
      readonly consent: Omit<ConsentEntry, 'recordedAt' | 'recordedBy'>;
    }
  | {
      readonly type: 'revoke-consent';
      readonly consentId: string;
      /** Defaults to now; only between the record's start and now. */
      readonly at?: Date;
      /** On whose word a participant other than the recorder withdraws. */
      readonly onWordOf?: ConsentSource;
    };

type ConsentInput = Extract<CaseCommand, { type: 'record-consent' }>['consent'];

export interface CommandContext {
  readonly now: Date;
  /** The registry entry of an organisation, or undefined when it is not registered. */
  readonly organisation: (id: string) => Organisation | undefined;
}

const forbidden = (code: string, message: string, errors: string[] = []) =>
  new DomainError('forbidden', code, message, errors);

export const trajectoryNotVisible = () =>
  new DomainError(
    'not-found',
    'trajectory-not-found',
    'No trajectory with this id is visible to your organisation',
  );

/**
 * Checks the actor's authority, runs the command and the widening check; returns what to store
 * and emit, or throws a DomainError (403 forbidden, 404, 409, 422) and changes nothing.
 */
export function runCommand(
  state: TrajectoryState,
  actor: Actor,
  command: CaseCommand,
  ctx: CommandContext,
): CommandResult {
  authorise(state, actor, command, ctx);
  const result = execute(state, actor, command, ctx);
  if (actor.kind === 'organisation') {
    const after = applyChanges(state, result.changes);
    const widened = widenedCategories(
      state,
      after,
      { kind: 'organisation', id: actor.organisationId },
      ctx.now,
    );
    if (widened.length > 0) {
      throw forbidden(
        'widens-own-entitlement',
        'This change would widen what your own organisation may receive',
        widened,
      );
    }
  }
  return result;
}

function execute(
  state: TrajectoryState,
  actor: Actor,
  command: CaseCommand,
  ctx: CommandContext,
): CommandResult {
  const { now } = ctx;
  switch (command.type) {
    case 'join':
      return joinParticipant(state, command.input);
    case 'leave':
      return leaveParticipant(state, command.participationId, command.at ?? now, now);
    case 'transfer-case-lead':
      return transferCaseLead(state, command.organisationId, now);
    case 'register-title':
      return registerTitle(state, command.input);
    case 'change-title':
      return changeTitle(state, command.titleId, command.input);
    case 'end-title':
      return endTitle(state, command.titleId, command.input);
    case 'record-consent':
      return recordConsent(state, {
        ...command.consent,
        recordedAt: now,
        recordedBy:
          actor.kind === 'client'
            ? { subject: actor.subject, organisationId: '', kind: 'client' }
            : actor.kind === 'organisation'
              ? { subject: actor.subject, organisationId: actor.organisationId }
              : { subject: 'event', organisationId: '' },
      });
    case 'revoke-consent':
      return revokeConsent(state, command.consentId, command.at ?? now, now);
  }
}

// --- who may ------------------------------------------------------------------------------

function authorise(
  state: TrajectoryState,
  actor: Actor,
  command: CaseCommand,
  ctx: CommandContext,
): void {
  switch (actor.kind) {
    case 'relative':
      throw forbidden('relatives-read-only', 'Relatives read; they do not change a trajectory');
    case 'client':
      if (actor.trajectoryId !== state.trajectory.id) throw trajectoryNotVisible();
      if (command.type === 'record-consent') return authoriseClientConsent(command.consent);
      if (command.type === 'revoke-consent') return;
      throw forbidden(
        'client-grants-and-withdraws-only',
        'In his own view the client grants and withdraws consent',
      );
    case 'event':
      if (command.type === 'join') {
        return assertRoleFits(
          ctx.organisation(command.input.organisationId),
          command.input.organisationId,
          command.input.role,
          command.input.from,
        );
      }
      if (command.type === 'leave') return;
      throw forbidden('not-an-event-command', `An event cannot ${command.type}`);
    case 'organisation':
      break;
  }
  if (actor.roles.includes('operator')) {
    throw forbidden('operators-read-metadata-only', 'Operators do not change trajectories');
  }
  if (!participatesNow(state, actor.organisationId, ctx.now)) throw trajectoryNotVisible();
  const isCaseLead = state.trajectory.caseLead.organisationId === actor.organisationId;

  switch (command.type) {
    case 'join': {
      if (!isCaseLead) {
        throw forbidden('not-case-lead', 'Only the case lead adds participants', [
          `the case lead is ${state.trajectory.caseLead.organisationId}`,
        ]);
      }
      if (command.input.organisationId === actor.organisationId) {
        throw forbidden('cannot-add-itself', 'An organisation does not add itself');
      }
      return assertRoleFits(
        ctx.organisation(command.input.organisationId),
        command.input.organisationId,
        command.input.role,
        command.input.from,
      );
    }
    case 'leave': {
      const p = state.participations.find((x) => x.id === command.participationId);
      if (!p) return; // the command answers 404
      if (!isCaseLead && p.organisationId !== actor.organisationId) {
        throw forbidden(
          'not-case-lead',
          'Only the case lead ends the participation of another organisation',
        );
      }
      if (p.organisationId === state.trajectory.caseLead.organisationId) {
        throw new DomainError(
          'conflict',
          'case-lead-must-transfer',
          'The case lead hands the case lead over before it leaves',
        );
      }
      return;
    }
    case 'transfer-case-lead': {
      if (!isCaseLead) throw forbidden('not-case-lead', 'Only the case lead hands it over');
      return;
    }
    case 'register-title':
    case 'change-title':
    case 'end-title':
      // Any participating case manager; the widening check stops a party from reviving a
      // duty that gives itself more (e.g. probation registering a title after all had ended).
      return;
    case 'record-consent':
      return authoriseOrganisationConsent(state, actor, command.consent, ctx);
    case 'revoke-consent': {
      const record = state.consents.find((c) => c.id === command.consentId);
      if (!record) return; // the command answers 404
      const isRecorder =
        record.recordedBy.kind !== 'client' &&
        record.recordedBy.organisationId === actor.organisationId;
      const onTheirWord =
        command.onWordOf === 'client' || command.onWordOf === 'legal-representative';
      if (!isRecorder && !onTheirWord) {
        throw forbidden(
          'not-recorder',
          "A record is withdrawn by the client, by its recorder, or on the client's word",
          ["state onWordOf 'client' or 'legal-representative' to withdraw on the client's word"],
        );
      }
      return;
    }
  }
}

function authoriseClientConsent(consent: ConsentInput) {
  if (consent.legalBasis !== 'consent' || consent.onWordOf !== 'client') {
    throw forbidden(
      'client-records-consent-only',
      "The client records consent on his own word (legalBasis 'consent', onWordOf 'client')",
    );
  }
}

const WORD_OF_THE_CLIENT: readonly ConsentSource[] = ['client', 'legal-representative'];
const LEGAL_SOURCES: readonly ConsentSource[] = ['court-order', 'statutory-provision'];

function authoriseOrganisationConsent(
  state: TrajectoryState,
  actor: Actor & { kind: 'organisation' },
  consent: ConsentInput,
  ctx: CommandContext,
): void {
  const r = consent.recipient;
  if (r.kind === 'organisation' && r.id === actor.organisationId) {
    throw forbidden(
      'recipient-cannot-record',
      'A consent record is never recorded by its own recipient',
      ['the data-holding side or the client records it'],
    );
  }
  const errors: string[] = [];
  const evidence = consent.evidenceReference?.trim();
  if (consent.legalBasis === 'covenant') {
    const kind = ctx.organisation(actor.organisationId)?.kind;
    const asZvh = state.participations.some(
      (p) =>
        p.organisationId === actor.organisationId &&
        p.role === 'zvh' &&
        participatesNow({ ...state, participations: [p] }, actor.organisationId, ctx.now),
    );
    if (kind !== 'zvh' || !asZvh) {
      throw forbidden(
        'covenant-by-zvh-only',
        'Covenant records are recorded only by a participating ZVH',
      );
    }
    if (!consent.covenant?.trim()) errors.push('covenant: name the covenant the record rests on');
    if (consent.onWordOf !== 'covenant') errors.push("onWordOf must be 'covenant'");
  } else {
    if (!evidence) {
      errors.push('evidenceReference: say where the client’s word or the legal ground is kept');
    }
    const sources = consent.legalBasis === 'consent' ? WORD_OF_THE_CLIENT : LEGAL_SOURCES;
    if (!sources.includes(consent.onWordOf)) {
      errors.push(`onWordOf must be ${sources.join(' or ')} for legalBasis ${consent.legalBasis}`);
    }
    if (consent.covenant !== undefined) errors.push('covenant is only for covenant records');
  }
  if (errors.length > 0) {
    throw new DomainError(
      'unprocessable',
      'invalid-consent',
      'The consent record is invalid',
      errors,
    );
  }
  if (consent.legalBasis === 'covenant') return;
  // The recorder must hold what it records: it may receive it itself now (or, for identity,
  // recorded it in the vault). Otherwise the record would share what it never had.
  const own: Recipient = { kind: 'organisation', id: actor.organisationId };
  const input = policyFacts(state, ctx.now);
  const missing = consent.categories.filter((category: DataCategory) => {
    if (!isDataCategory(category)) return false; // the record's own check answers 422
    if (category === 'identity' && state.identityHeldBy === actor.organisationId) return false;
    return !decide({ ...input, recipient: own, category }).permit;
  });
  if (missing.length > 0) {
    throw forbidden(
      'recorder-does-not-hold-data',
      'Your organisation does not hold data of every category it would share',
      missing.map((c) => `not held: ${c}`),
    );
  }
}

// --- case lead ------------------------------------------------------------------------------

/** The case lead hands over to another organisation that takes part now. */
export function transferCaseLead(
  state: TrajectoryState,
  organisationId: string,
  now: Date,
): CommandResult {
  const from = state.trajectory.caseLead.organisationId;
  if (organisationId === from) {
    throw new DomainError('conflict', 'already-case-lead', 'That organisation is the case lead');
  }
  if (!participatesNow(state, organisationId, now)) {
    throw new DomainError(
      'conflict',
      'case-lead-must-participate',
      'The new case lead must take part in the trajectory now',
    );
  }
  return {
    changes: [{ kind: 'case-lead-transferred', organisationId }],
    events: [
      {
        type: 'nl.ketenlink.trajectory.case-lead-transferred.v1',
        data: {
          trajectoryId: state.trajectory.id,
          fromOrganisationId: from,
          toOrganisationId: organisationId,
          at: now.toISOString(),
        },
      },
    ],
  };
}

// --- the widening check --------------------------------------------------------------------

/**
 * Categories `recipient` would receive under `after` but not under `before`, at some instant
 * from `now` on. Entitlement only changes at the boundaries of participations, records and the
 * duty's end, so those instants (and now) are all that need checking.
 */
export function widenedCategories(
  before: TrajectoryState,
  after: TrajectoryState,
  recipient: Recipient,
  now: Date,
): DataCategory[] {
  const instants = new Set<number>([now.getTime()]);
  for (const s of [before, after]) {
    for (const p of s.participations) {
      [p.from, p.until].forEach((d) => d && instants.add(d.getTime()));
    }
    for (const c of s.consents) {
      [c.validFrom, c.validUntil, c.revokedAt].forEach(
        (d: Date | undefined) => d && instants.add(d.getTime()),
      );
    }
    const duty = legalDutyUntilOf(s.titles);
    if (duty) instants.add(duty.getTime());
  }
  const widened = new Set<DataCategory>();
  for (const t of instants) {
    if (t < now.getTime()) continue;
    const at = new Date(t);
    const was = permittedCategories({ ...policyFacts(before, at), recipient });
    for (const c of permittedCategories({ ...policyFacts(after, at), recipient })) {
      if (!was.has(c)) widened.add(c);
    }
  }
  return [...widened].sort();
}

/** The actor a verified principal is. */
export function actorOf(principal: {
  kind?: 'organisation' | 'client' | 'relative';
  subject: string;
  organisationId: string;
  roles: readonly string[];
  trajectoryId?: string;
}): Actor {
  if (principal.kind === 'client' || principal.kind === 'relative') {
    return {
      kind: principal.kind,
      subject: principal.subject,
      trajectoryId: principal.trajectoryId ?? '',
    };
  }
  return {
    kind: 'organisation',
    subject: principal.subject,
    organisationId: principal.organisationId,
    roles: principal.roles,
  };
}

/** Today in Amsterdam, for checks on calendar dates. */
export const today = (now: Date) => calendarDate(now);
