import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { ParticipantRole } from '@ketenlink/consent';
import { type CloudEvent, EventEmitter } from '@ketenlink/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { type Caller, participatesNow } from '../domain/disclosure';
import { DomainError } from '../domain/errors';
import { assertValidIdentity, type ClientIdentity } from '../domain/identity';
import {
  type CommandResult,
  type OpenerRole,
  openTrajectory,
  type TrajectoryState,
} from '../domain/trajectory';
import { IdentityCipher } from './ports/identity-cipher.port';
import { TrajectoryStore } from './ports/trajectory.store.port';

export const IDENTITY_CIPHER = Symbol('IDENTITY_CIPHER');

export interface OpenCommand {
  readonly role: OpenerRole;
  readonly participantRole: ParticipantRole;
  readonly region?: string;
  readonly client?: ClientIdentity;
}

export type Command = (state: TrajectoryState, now: Date) => CommandResult;

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
  ) {}

  async open(caller: Caller, cmd: OpenCommand): Promise<TrajectoryState> {
    const now = new Date();
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
    };
  }

  /** A command by a caller whose organisation takes part in the trajectory now. */
  async execute(trajectoryId: string, caller: Caller, command: Command): Promise<CommandResult> {
    return this.ds.transaction(async (tx) => {
      const now = new Date();
      const state = await this.store.load(tx, trajectoryId, { lock: true });
      if (!state || !participatesNow(state, caller.organisationId, now)) {
        throw trajectoryNotFound();
      }
      return this.applyIn(tx, state, command(state, now));
    });
  }

  /**
   * A command caused by a consumed event, in the consumer's (inbox) transaction. Returns
   * undefined when the trajectory is unknown here.
   */
  async executeFromEvent(
    tx: EntityManager,
    trajectoryId: string,
    cause: CloudEvent,
    command: Command,
  ): Promise<CommandResult | undefined> {
    const state = await this.store.load(tx, trajectoryId, { lock: true });
    if (!state) return undefined;
    return this.applyIn(tx, state, command(state, new Date()), cause);
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
