import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ParticipantRole } from '@ketenlink/consent';
import { type CloudEvent, EventEmitter } from '@ketenlink/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { type Actor, actorOf, type CaseCommand, runCommand } from '../domain/authority';
import { type Caller, participatesNow } from '../domain/disclosure';
import { DomainError } from '../domain/errors';
import { assertValidIdentity, type ClientIdentity } from '../domain/identity';
import { assertRoleFits } from '../domain/organisations';
import {
  type CommandResult,
  type OpenerRole,
  openTrajectory,
  type TrajectoryState,
} from '../domain/trajectory';
import { AccessLog } from '../infrastructure/access-log';
import { OrganisationStore } from './ports/organisation.store.port';
import { IdentityCipher } from './ports/identity-cipher.port';
import { TrajectoryStore } from './ports/trajectory.store.port';

export const IDENTITY_CIPHER = Symbol('IDENTITY_CIPHER');

export interface OpenCommand {
  readonly role: OpenerRole;
  readonly participantRole: ParticipantRole;
  readonly region?: string;
  readonly client?: ClientIdentity;
}

export const trajectoryNotFound = () =>
  new DomainError(
    'not-found',
    'trajectory-not-found',
    'No trajectory with this id is visible to your organisation',
  );

/**
 * Runs domain commands: state change and events in one transaction (transactional outbox),
 * the trajectory row locked so that commands on one trajectory run one after the other.
 * A command that throws leaves nothing behind.
 */
@Injectable()
export class TrajectoryCommands {
  constructor(
    private readonly ds: DataSource,
    private readonly store: TrajectoryStore,
    private readonly events: EventEmitter,
    @Inject(IDENTITY_CIPHER) private readonly cipher: IdentityCipher,
    private readonly organisations: OrganisationStore,
    private readonly log: AccessLog,
  ) {}

  async open(caller: Caller, cmd: OpenCommand): Promise<TrajectoryState> {
    const now = new Date();
    // The opener takes part from today in a role that must fit its kind of organisation.
    assertRoleFits(
      await this.organisations.find(caller.organisationId),
      caller.organisationId,
      cmd.participantRole,
      calendarDate(now),
    );
    const client = cmd.client ? assertValidIdentity(cmd.client, calendarDate(now)) : undefined;
    const opened = openTrajectory({
      id: randomUUID(),
      participationId: randomUUID(),
      now,
      organisationId: caller.organisationId,
      role: cmd.role,
      participantRole: cmd.participantRole,
      subject: caller.subject,
      ...(cmd.region ? { region: cmd.region } : {}),
    });
    const id = opened.trajectory.id;
    await this.ds.transaction(async (tx) => {
      await this.store.insertTrajectory(tx, opened.trajectory);
      await this.store.apply(tx, id, [
        { kind: 'participation-added', participation: opened.participation },
      ]);
      if (client) {
        await this.store.saveIdentity(tx, id, this.cipher.seal(id, client), {
          subject: caller.subject,
          organisationId: caller.organisationId,
          at: now,
        });
      }
      await this.events.emit(
        tx,
        opened.events.map((e) => ({ type: e.type, subject: id, data: e.data })),
      );
    });
    return {
      trajectory: opened.trajectory,
      participations: [opened.participation],
      titles: [],
      consents: [],
      ...(client ? { identityHeldBy: caller.organisationId } : {}),
    };
  }

  /**
   * A command by an authenticated principal (organisation, client or relative), decided by the
   * domain's authority rules (domain/authority.ts). A refusal is written to the access log
   * after the transaction rolled back, so nothing else is stored.
   */
  async run(trajectoryId: string, caller: Caller, command: CaseCommand): Promise<CommandResult> {
    const actor = actorOf(caller);
    try {
      return await this.ds.transaction(async (tx) => {
        const now = new Date();
        const state = await this.store.load(tx, trajectoryId, { lock: true });
        if (!state) throw trajectoryNotFound();
        const ctx = await this.contextFor(tx, actor, command, now);
        return this.applyIn(tx, state, runCommand(state, actor, command, ctx));
      });
    } catch (err) {
      if (err instanceof DomainError) await this.logRefusal(trajectoryId, caller, command, err);
      throw err;
    }
  }

  /**
   * A command caused by a consumed event, in the consumer's (inbox) transaction. Returns
   * undefined when the trajectory is unknown here.
   */
  async executeFromEvent(
    tx: EntityManager,
    trajectoryId: string,
    cause: CloudEvent,
    command: CaseCommand | ((state: TrajectoryState) => CaseCommand | undefined),
  ): Promise<CommandResult | undefined> {
    const state = await this.store.load(tx, trajectoryId, { lock: true });
    if (!state) return undefined;
    const actor: Actor = { kind: 'event', type: cause.type };
    const now = new Date();
    // A command that depends on the state (e.g. which participation ends); none: nothing to do.
    if (typeof command === 'function') {
      const chosen = command(state);
      if (!chosen) return { changes: [], events: [] };
      command = chosen;
    }
    const ctx = await this.contextFor(tx, actor, command, now);
    return this.applyIn(tx, state, runCommand(state, actor, command, ctx), cause);
  }

  /** The registry entries a command's authority check needs: the actor's and a join target's. */
  private async contextFor(tx: EntityManager, actor: Actor, command: CaseCommand, now: Date) {
    const ids = [
      ...(actor.kind === 'organisation' ? [actor.organisationId] : []),
      ...(command.type === 'join' ? [command.input.organisationId] : []),
    ];
    const found = ids.length ? await this.organisations.findMany(ids, tx) : new Map();
    return { now, organisation: (id: string) => found.get(id) };
  }

  private async logRefusal(
    trajectoryId: string,
    caller: Caller,
    command: CaseCommand,
    err: DomainError,
  ): Promise<void> {
    const dataSubject = caller.kind === 'client' || caller.kind === 'relative';
    await this.log.record({
      readerKind: dataSubject ? (caller.kind as 'client' | 'relative') : 'staff',
      at: new Date(),
      subject: caller.subject,
      ...(dataSubject ? {} : { organisationId: caller.organisationId }),
      roles: dataSubject ? [] : caller.roles,
      trajectoryId,
      resource: `command:${command.type}`,
      outcome: 'denied',
      categories: [],
      legalBases: {},
      reason: `${err.code}: ${err.message}`,
    });
  }

  async recordIdentity(
    trajectoryId: string,
    caller: Caller,
    identity: ClientIdentity,
  ): Promise<void> {
    await this.ds.transaction(async (tx) => {
      const now = new Date();
      const state = await this.store.load(tx, trajectoryId, { lock: true });
      if (!state || !participatesNow(state, caller.organisationId, now)) {
        throw trajectoryNotFound();
      }
      const valid = assertValidIdentity(identity, calendarDate(now));
      await this.store.saveIdentity(tx, trajectoryId, this.cipher.seal(trajectoryId, valid), {
        subject: caller.subject,
        organisationId: caller.organisationId,
        at: now,
      });
    });
  }

  private async applyIn(
    tx: EntityManager,
    state: TrajectoryState,
    result: CommandResult,
    cause?: CloudEvent,
  ): Promise<CommandResult> {
    const id = state.trajectory.id;
    await this.store.apply(tx, id, result.changes);
    await this.events.emit(
      tx,
      result.events.map((e) => ({
        type: e.type,
        subject: id,
        data: e.data,
        ...(cause ? { cause } : {}),
      })),
    );
    return result;
  }
}
