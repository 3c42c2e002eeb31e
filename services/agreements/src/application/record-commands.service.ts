import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Emitted } from '../domain/agreement';
import { NotFoundError } from '../domain/errors';
import {
  acknowledge,
  type Consequence,
  type Incident,
  type IncidentKind,
  type Notification,
  raiseNotification,
  type RaiseInput,
  recordIncident,
  recordViolation,
  type RecordPolicy,
  reportToInspectorate,
  type Violation,
} from '../domain/records';
import { participatesNow } from './actors';
import { AGREEMENT_FACTS, type AgreementFactsPort } from './facts.port';
import { AgreementStore, RecordStore } from './ports/agreement.store.port';
import { RECORD_POLICY } from './record-policy';

type Staff = { organisationId: string; role: string };

/**
 * Notifications, violations and incidents: each command in one transaction with its events.
 * Only staff of an organisation that takes part in the trajectory now may record; everyone else
 * gets 404 (they may not learn the agreement exists).
 */
@Injectable()
export class RecordCommands {
  constructor(
    private readonly ds: DataSource,
    private readonly agreements: AgreementStore,
    private readonly records: RecordStore,
    @Inject(AGREEMENT_FACTS) private readonly facts: AgreementFactsPort,
    private readonly events: EventEmitter,
    @Inject(RECORD_POLICY) private readonly policy: RecordPolicy,
  ) {}

  private async visibleAgreement(id: string, by: Staff, now: Date) {
    const a = await this.agreements.findById(id);
    if (!a || !(await this.participates(a.trajectoryId, by, now)))
      throw new NotFoundError('agreement');
    return a;
  }

  private async participates(trajectoryId: string, by: Staff, now: Date): Promise<boolean> {
    return participatesNow(await this.facts.participationsOf(trajectoryId), by.organisationId, now);
  }

  private async commit(
    subject: string,
    write: (tx: import('@ketenlink/messaging').SqlExecutor) => Promise<void>,
    events: readonly Emitted[],
  ) {
    await this.ds.transaction(async (tx) => {
      await write(tx);
      await this.events.emit(
        tx,
        events.map((e) => ({ type: e.type, subject, data: e.data })),
      );
    });
  }

  async raise(
    agreementId: string,
    input: Omit<RaiseInput, 'id' | 'by'>,
    by: Staff,
    now = new Date(),
  ): Promise<Notification> {
    const a = await this.visibleAgreement(agreementId, by, now);
    const r = raiseNotification(a, { ...input, id: randomUUID(), by }, now, this.policy);
    await this.commit(
      a.trajectoryId,
      (tx) => this.records.insertNotification(tx, r.notification),
      r.events,
    );
    return r.notification;
  }

  async acknowledge(
    id: string,
    by: Staff,
    response: string | undefined,
    now = new Date(),
  ): Promise<Notification> {
    let out: Notification | undefined;
    await this.ds.transaction(async (tx) => {
      const n = await this.records.findNotification(id, tx, true);
      if (!n || !(await this.participates(n.trajectoryId, by, now)))
        throw new NotFoundError('notification');
      const r = acknowledge(n, by, now, response);
      await this.records.updateNotification(tx, r.notification);
      await this.events.emit(
        tx,
        r.events.map((e) => ({ type: e.type, subject: n.trajectoryId, data: e.data })),
      );
      out = r.notification;
    });
    return out!;
  }

  async violation(
    agreementId: string,
    input: {
      conditionId: string;
      description: string;
      occurredOn: string;
      consequence: Consequence;
      notificationId?: string;
    },
    by: Staff,
    now = new Date(),
  ): Promise<Violation> {
    const a = await this.visibleAgreement(agreementId, by, now);
    const r = recordViolation(a, { ...input, id: randomUUID(), by }, now);
    await this.commit(
      a.trajectoryId,
      (tx) => this.records.insertViolation(tx, r.violation),
      r.events,
    );
    return r.violation;
  }

  async incident(
    trajectoryId: string,
    input: { kind: IncidentKind; occurredAt: Date; description: string; reportable?: boolean },
    by: Staff,
    now = new Date(),
  ): Promise<Incident> {
    if (!(await this.participates(trajectoryId, by, now))) throw new NotFoundError('trajectory');
    const open = await this.agreements.openOf(trajectoryId);
    const r = recordIncident(
      { ...input, id: randomUUID(), trajectoryId, ...(open ? { agreementId: open.id } : {}), by },
      now,
      this.policy,
    );
    await this.commit(trajectoryId, (tx) => this.records.insertIncident(tx, r.incident), r.events);
    return r.incident;
  }

  async report(
    id: string,
    by: Staff,
    reference: string | undefined,
    now = new Date(),
  ): Promise<Incident> {
    let out: Incident | undefined;
    await this.ds.transaction(async (tx) => {
      const i = await this.records.findIncident(id, tx, true);
      if (!i || !(await this.participates(i.trajectoryId, by, now)))
        throw new NotFoundError('incident');
      const r = reportToInspectorate(i, by, now, reference);
      await this.records.updateIncident(tx, r.incident);
      await this.events.emit(
        tx,
        r.events.map((e) => ({ type: e.type, subject: i.trajectoryId, data: e.data })),
      );
      out = r.incident;
    });
    return out!;
  }
}
