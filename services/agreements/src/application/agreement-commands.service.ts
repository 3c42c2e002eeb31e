import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter, type SqlExecutor } from '@ketenlink/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  type Actor,
  type Agreement,
  type Condition,
  conditionsFromTitles,
  draft,
  type Emitted,
  type Parties,
  recordTalk,
  type Result,
  type Terms,
} from '../domain/agreement';
import {
  AgreementConflictError,
  AgreementInputError,
  ConcurrentChangeError,
  NotFoundError,
} from '../domain/errors';
import { participatesNow } from './actors';
import { AGREEMENT_FACTS, type AgreementFactsPort } from './facts.port';
import { AgreementStore } from './ports/agreement.store.port';

export type TermsInput = Omit<Terms, 'conditions'> & { readonly conditions?: Condition[] };

export interface DraftCommand {
  readonly trajectoryId: string;
  readonly parties: Parties;
  /** Conditions absent: those registered with the trajectory's titles (R-CONDITIONS). */
  readonly terms: TermsInput;
  /** A recorded three-party talk (no signatures) held on this day. */
  readonly talkHeldOn?: string;
}

/**
 * The agreement's commands: one transaction each, state and events together (outbox). Drafting
 * checks the parties against the trajectory's participations; every later command loads the
 * agreement, checks the caller's revision (optimistic locking), applies the pure command and
 * writes only if nobody else wrote meanwhile (SqlAgreementStore.update → 409).
 */
@Injectable()
export class AgreementCommands {
  constructor(
    private readonly ds: DataSource,
    private readonly agreements: AgreementStore,
    @Inject(AGREEMENT_FACTS) private readonly facts: AgreementFactsPort,
    private readonly events: EventEmitter,
  ) {}

  async draft(cmd: DraftCommand, actor: Actor, now = new Date()): Promise<Agreement> {
    if (actor.kind !== 'staff')
      throw new AgreementConflictError('staff-only', 'Only staff draft agreements.');
    const facts = await this.facts.factsOf(cmd.trajectoryId);
    if (!facts || !participatesNow(facts.participations, actor.organisationId, now)) {
      throw new NotFoundError('trajectory');
    }
    const { probationOrganisationId: probation, providerOrganisationId: provider } = cmd.parties;
    if (actor.organisationId !== probation && actor.organisationId !== provider) {
      throw new AgreementConflictError(
        'not-a-party',
        'You can only draft an agreement your organisation is party to.',
      );
    }
    const problems = [
      ...(participatesNow(facts.participations, probation, now, 'probation')
        ? []
        : [`${probation} does not take part as probation`]),
      ...(participatesNow(facts.participations, provider, now, 'provider')
        ? []
        : [`${provider} does not take part as provider`]),
    ];
    if (problems.length > 0) {
      throw new AgreementInputError(
        'party-not-participating',
        'The parties must take part in the trajectory in their roles.',
        problems,
      );
    }
    const conditions =
      cmd.terms.conditions ??
      conditionsFromTitles(await this.facts.titlesOf(cmd.trajectoryId), randomUUID);
    const input = {
      id: randomUUID(),
      trajectoryId: cmd.trajectoryId,
      parties: cmd.parties,
      terms: { ...cmd.terms, conditions },
      by: actor,
    };
    const r = cmd.talkHeldOn
      ? recordTalk({ ...input, heldOn: cmd.talkHeldOn }, now)
      : draft(input, now);
    await this.ds.transaction(async (tx) => {
      if (await this.agreements.openOf(cmd.trajectoryId, tx)) {
        throw new AgreementConflictError(
          'agreement-exists',
          'The trajectory already has an open agreement; amend or terminate it.',
        );
      }
      await this.agreements.insert(tx, r.agreement);
      await this.emit(tx, r.agreement, r.events);
    });
    return r.agreement;
  }

  /**
   * Runs a pure command on a visible agreement. `expectedRevision`: the revision the caller read
   * (required for amendments); a different current revision is 409 before anything is applied.
   */
  async run(
    id: string,
    actor: Actor,
    command: (a: Agreement) => Result,
    {
      expectedRevision,
      clientTrajectoryId,
      now = new Date(),
    }: { expectedRevision?: number; clientTrajectoryId?: string; now?: Date } = {},
  ): Promise<Agreement> {
    const a = await this.agreements.findById(id);
    if (!a || !(await this.mayAct(a, actor, now, clientTrajectoryId)))
      throw new NotFoundError('agreement');
    if (expectedRevision !== undefined && expectedRevision !== a.revision) {
      throw new ConcurrentChangeError(expectedRevision, a.revision);
    }
    const r = command(a);
    await this.ds.transaction(async (tx) => {
      await this.agreements.update(tx, r.agreement, a.revision);
      await this.emit(tx, r.agreement, r.events);
    });
    return r.agreement;
  }

  /** Staff of a party organisation that takes part now, or the client of this trajectory. */
  async mayAct(
    a: Agreement,
    actor: Actor,
    now: Date,
    clientTrajectoryId?: string,
  ): Promise<boolean> {
    if (actor.kind === 'client') return clientTrajectoryId === a.trajectoryId;
    const party =
      actor.organisationId === a.parties.probationOrganisationId ||
      actor.organisationId === a.parties.providerOrganisationId;
    if (!party) return false;
    return participatesNow(
      await this.facts.participationsOf(a.trajectoryId),
      actor.organisationId,
      now,
    );
  }

  private async emit(tx: SqlExecutor, a: Agreement, events: readonly Emitted[]): Promise<void> {
    await this.events.emit(
      tx,
      events.map((e) => ({ type: e.type, subject: a.trajectoryId, data: e.data })),
    );
  }
}
