import { DisclosesClientData, MetadataOnly, readerOf } from '@ketenlink/disclosure';
import { randomUUID } from 'node:crypto';
import { Body, Controller, ForbiddenException, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ketenlink/auth';
import { TrajectoryCommands } from '../application/trajectory-commands.service';
import { TrajectoryQueries } from '../application/trajectory-queries.service';
import { ownView, type OwnView } from '../domain/own-view';
import { OrganisationStore } from '../application/ports/organisation.store.port';
import { RecordConsentDto, RevokeConsentDto } from './case-records.dto';
import { recordConsentCommand, revokeConsentCommand } from './consent-commands';
import { UUID } from './trajectories.http.controller';

function boundTrajectory(principal: Principal, kinds: readonly Principal['kind'][]): string {
  if (!kinds.includes(principal.kind) || !principal.trajectoryId) {
    throw new ForbiddenException(`This view is for ${kinds.join(' or ')} tokens`);
  }
  return principal.trajectoryId;
}

/**
 * The client's own view (and a relative's) of the one trajectory the token is bound to, in
 * plain language, through the consent policy and the access log; the client grants and
 * withdraws consent here. Organisation tokens are refused (403).
 */
@ApiTags('own view')
@ApiBearerAuth()
@Controller('me/trajectory')
export class OwnViewHttpController {
  constructor(
    private readonly queries: TrajectoryQueries,
    private readonly commands: TrajectoryCommands,
    private readonly organisations: OrganisationStore,
  ) {}

  @DisclosesClientData()
  @Get()
  async view(@CurrentPrincipal() principal: Principal): Promise<OwnView> {
    const id = boundTrajectory(principal, ['client', 'relative']);
    const youAre = principal.kind === 'client' ? 'client' : 'relative';
    return this.queries.read(id, readerOf(principal), 'own-view', async (state, entitlement) => {
      const orgs = await this.organisations.findMany([
        state.trajectory.caseLead.organisationId,
        ...state.participations.map((p) => p.organisationId),
        ...state.consents.flatMap((c) =>
          c.recipient.kind === 'organisation' ? [c.recipient.id] : [],
        ),
      ]);
      return ownView(state, entitlement, youAre, (o) => orgs.get(o), new Date());
    });
  }

  @MetadataOnly('answers the new record id and event types only')
  @Post('consents')
  @HttpCode(201)
  async grant(@Body() body: RecordConsentDto, @CurrentPrincipal() principal: Principal) {
    const id = boundTrajectory(principal, ['client']);
    const consentId = randomUUID();
    const result = await this.commands.run(id, principal, recordConsentCommand(consentId, body));
    return { id: consentId, events: result.events.map((e) => e.type) };
  }

  @MetadataOnly('answers event types only')
  @Post('consents/:consentId/revoke')
  @HttpCode(200)
  async withdraw(
    @Param('consentId', UUID) consentId: string,
    @Body() body: RevokeConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const id = boundTrajectory(principal, ['client']);
    const result = await this.commands.run(id, principal, revokeConsentCommand(consentId, body));
    return { events: result.events.map((e) => e.type) };
  }
}
