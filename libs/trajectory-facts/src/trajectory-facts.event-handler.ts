import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import type {
  ConsentGrantedV1,
  ConsentRevokedV1,
  OrganisationChangedV1,
  TitleChangedV1,
  TitleEndedV1,
  TitleRegisteredV1,
  TrajectoryCaseLeadTransferredV1,
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { EventContext, HANDLER_ORDER } from '@ketenlink/messaging';
import { type SourceEvent, SqlTrajectoryFacts } from './sql-trajectory-facts';

/** The projection runs before the service's own handlers of the same type (which may read it). */
const FIRST = { [HANDLER_ORDER]: -100 };

const source = (ctx: EventContext): SourceEvent => {
  const e = ctx.getEvent();
  return { id: e.id, time: e.time };
};

/**
 * Projects the trajectory topic's facts into the service's own tables. Runs inside the
 * consumer's inbox transaction (writes only through `ctx.getTransaction()`); each write is keyed
 * by ids from the event and safe to repeat. A service's own handlers of the same types run
 * after this one (HANDLER_ORDER) in the same transaction (libs/messaging, several handlers per
 * type), so they read the projection as it stands with this event.
 */
@Controller()
export class TrajectoryFactsEventHandler {
  constructor(@Inject(SqlTrajectoryFacts) private readonly facts: SqlTrajectoryFacts) {}

  @EventPattern(
    ['nl.ketenlink.organisation.registered.v1', 'nl.ketenlink.organisation.changed.v1'],
    FIRST,
  )
  async onOrganisation(
    @Payload() data: OrganisationChangedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordOrganisation(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.trajectory.opened.v1', FIRST)
  async onOpened(@Payload() data: TrajectoryOpenedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.recordOpened(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.trajectory.participant-joined.v1', FIRST)
  async onJoined(
    @Payload() data: TrajectoryParticipantJoinedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordJoined(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.trajectory.participant-left.v1', FIRST)
  async onLeft(
    @Payload() data: TrajectoryParticipantLeftV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordLeft(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.trajectory.case-lead-transferred.v1', FIRST)
  async onCaseLead(
    @Payload() data: TrajectoryCaseLeadTransferredV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordCaseLead(ctx.getTransaction(), data);
  }

  @EventPattern('nl.ketenlink.consent.granted.v1', FIRST)
  async onConsentGranted(
    @Payload() data: ConsentGrantedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordConsentGranted(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.consent.revoked.v1', FIRST)
  async onConsentRevoked(
    @Payload() data: ConsentRevokedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordConsentRevoked(ctx.getTransaction(), data);
  }

  @EventPattern('nl.ketenlink.title.registered.v1', FIRST)
  async onTitleRegistered(
    @Payload() data: TitleRegisteredV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.facts.recordTitleRegistered(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.title.changed.v1', FIRST)
  async onTitleChanged(@Payload() data: TitleChangedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.recordTitleChanged(ctx.getTransaction(), data, source(ctx));
  }

  @EventPattern('nl.ketenlink.title.ended.v1', FIRST)
  async onTitleEnded(@Payload() data: TitleEndedV1, @Ctx() ctx: EventContext): Promise<void> {
    await this.facts.recordTitleEnded(ctx.getTransaction(), data);
  }
}

/**
 * The event types the projection handles, read from the handlers' own `@EventPattern`s (so the
 * list cannot drift from them): a service that caches facts (the partner gateway's fan-out)
 * knows from it which events change a trajectory's facts, and a catch-all handler
 * (ANY_EVENT_TYPE, hidden by an exact handler) names them too.
 */
export const TRAJECTORY_FACT_EVENT_TYPES: readonly string[] = (() => {
  const proto = TrajectoryFactsEventHandler.prototype as unknown as Record<string, unknown>;
  const types = Object.getOwnPropertyNames(proto).flatMap(
    (name) => (Reflect.getMetadata(PATTERN_METADATA, proto[name] as object) as string[]) ?? [],
  );
  return [...new Set(types)];
})();
