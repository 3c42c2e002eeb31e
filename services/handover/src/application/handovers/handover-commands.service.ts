import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isParticipating, type Participation } from '@ketenlink/consent';
import { EventEmitter } from '@ketenlink/messaging';
import {
  ProjectedOrganisationDirectory,
  TRAJECTORY_FACTS,
  type TrajectoryFactsPort,
} from '@ketenlink/trajectory-facts';
import { DataSource, type EntityManager } from 'typeorm';
import {
  accept,
  cancel,
  complete,
  type CompletionInput,
  decline,
  type DeclineReason,
  type FollowOnCare,
  type Handover,
  type HandoverKind,
  isPartyTo,
  type MeetingOutcome,
  type Party,
  recordClosingReport,
  recordMeeting,
  requestHandover,
  scheduleMeeting,
  type SendingRole,
  type Transition,
} from '../../domain/handover';
import { HandoverConflictError } from '../../domain/handover-errors';
import { HANDOVER_CONFIG, type HandoverConfig } from '../handover-config';
import { NotFoundError, ReceiverRefusedError } from '../errors';
import { HandoverStore } from '../ports/handover.store.port';

export interface RequestInput {
  readonly trajectoryId: string;
  readonly kind: HandoverKind;
  readonly followOnCare?: FollowOnCare;
  readonly receivingOrganisationId: string;
  readonly reason: string;
  readonly plannedDate: string;
}

const activeRole = (ps: readonly Participation[], org: string, at: Date) =>
  ps.find((p) => p.organisationId === org && isParticipating(p, at))?.role;

/**
 * Every handover command: one transaction, the row locked, the domain decides, state and events
 * (outbox) commit together. A domain error rolls everything back: nothing stored, nothing emitted.
 */
@Injectable()
export class HandoverCommandsService {
  constructor(
    private readonly ds: DataSource,
    private readonly handovers: HandoverStore,
    private readonly events: EventEmitter,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    private readonly organisations: ProjectedOrganisationDirectory,
    @Inject(HANDOVER_CONFIG) private readonly config: HandoverConfig,
  ) {}

  /** The sender's coordinator asks; the sender must take part in the trajectory now. */
  request(sender: Party, input: RequestInput): Promise<Handover> {
    const now = new Date();
    return this.ds.transaction(async (tx) => {
      const participations = await this.facts.participationsOf(input.trajectoryId, tx);
      const role = activeRole(participations, sender.organisationId, now);
      if (!role) throw new NotFoundError('trajectory');
      const receiver = await this.organisations.find(input.receivingOrganisationId, tx);
      if (!receiver || !(await this.organisations.isActive(receiver.organisationId, now))) {
        throw new ReceiverRefusedError(
          'receiver-not-registered',
          'The receiving organisation is not registered (or not active) in the chain registry',
        );
      }
      if (receiver.kind !== 'care-provider') {
        throw new ReceiverRefusedError(
          'receiver-not-a-care-provider',
          'Only a care provider can take a client over',
        );
      }
      // The domain checks the request itself first (422), then the trajectory's state (409).
      const t = requestHandover({
        id: randomUUID(),
        ...input,
        sendingOrganisationId: sender.organisationId,
        sendingRole: role as SendingRole,
        now,
        responseWithinMs: this.config.responseWithinMs,
      });
      if (activeRole(participations, receiver.organisationId, now) === 'provider') {
        throw new HandoverConflictError(
          'receiver-already-participates',
          'The receiving organisation already takes part in this trajectory as provider',
        );
      }
      if (await this.handovers.hasOpen(tx, input.trajectoryId, receiver.organisationId)) {
        throw new HandoverConflictError(
          'handover-already-open',
          'An open handover of this trajectory to this organisation exists',
        );
      }
      await this.handovers.insert(tx, t.handover);
      await this.emit(tx, t);
      return t.handover;
    });
  }

  accept(by: Party, id: string) {
    return this.change(by, id, async (h, _tx, now) => accept(h, by, now));
  }

  decline(by: Party, id: string, reason: { reasonCode: DeclineReason; reasonText?: string }) {
    return this.change(by, id, async (h, _tx, now) => decline(h, by, reason, now));
  }

  /** Probation is invited when the trajectory has a probation participant. */
  scheduleMeeting(by: Party, id: string, input: { meetingAt: Date; location?: string }) {
    return this.change(by, id, async (h, tx, now) => {
      const ps = await this.facts.participationsOf(h.trajectoryId, tx);
      const probation = ps.find((p) => p.role === 'probation' && isParticipating(p, now));
      return scheduleMeeting(
        h,
        by,
        {
          ...input,
          clientInvited: true,
          ...(probation ? { probationOrganisationId: probation.organisationId } : {}),
        },
        now,
      );
    });
  }

  recordMeeting(by: Party, id: string, outcome: MeetingOutcome) {
    return this.change(by, id, async (h, _tx, now) => recordMeeting(h, by, outcome, now));
  }

  recordClosingReport(
    by: Party,
    id: string,
    report: { risks: string; whatWorks: string; whyEnded: string },
  ) {
    return this.change(by, id, async (h, _tx, now) => recordClosingReport(h, by, report, now));
  }

  complete(by: Party, id: string, input: CompletionInput) {
    return this.change(by, id, async (h, _tx, now) => complete(h, by, input, now));
  }

  cancel(by: Party, id: string, reason?: string) {
    return this.change(by, id, async (h, _tx, now) => cancel(h, by, reason, now));
  }

  private change(
    by: Party,
    id: string,
    decide: (h: Handover, tx: EntityManager, now: Date) => Promise<Transition>,
  ): Promise<Handover> {
    const now = new Date();
    return this.ds.transaction(async (tx) => {
      const current = await this.handovers.findForUpdate(tx, id);
      if (!current || !isPartyTo(current, by.organisationId)) throw new NotFoundError('handover');
      const t = await decide(current, tx, now);
      await this.handovers.update(tx, t.handover);
      await this.emit(tx, t);
      return t.handover;
    });
  }

  private async emit(tx: EntityManager, t: Transition): Promise<void> {
    if (t.events.length === 0) return;
    await this.events.emit(
      tx,
      t.events.map((e) => ({ type: e.type, subject: t.handover.trajectoryId, data: e.data })),
    );
  }
}
