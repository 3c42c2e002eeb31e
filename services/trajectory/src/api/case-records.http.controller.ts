import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { DisclosesClientData, MetadataOnly, readerOf } from '@ketenlink/disclosure';
import type { DataCategory } from '@ketenlink/contracts';
import { TrajectoryCommands } from '../application/trajectory-commands.service';
import { TrajectoryQueries } from '../application/trajectory-queries.service';
import type { CommandResult } from '../domain/trajectory';
import { recordConsentCommand, revokeConsentCommand } from './consent-commands';
import {
  ChangeTitleDto,
  EndTitleDto,
  JoinParticipantDto,
  LeaveParticipantDto,
  RecordConsentDto,
  RegisterTitleDto,
  RevokeConsentDto,
} from './case-records.dto';
import { CASE_MANAGER_ROLES, READER_ROLES } from './roles';
import { UUID } from './trajectories.http.controller';

/** Why a command's answer is no client data. */
const COMMAND_ANSWER = 'answers the new id and the event types emitted, no client data';

/** What a command answers: the ids it created and the events it emitted (types only). */
function accepted(result: CommandResult, id?: string) {
  return { ...(id ? { id } : {}), events: result.events.map((e) => e.type) };
}

/**
 * Participants, legal titles and consent records of one trajectory. Changes: case managers of
 * a participating organisation. Reads: whoever participates, filtered by the consent policy.
 */
@ApiTags('trajectories')
@ApiBearerAuth()
@Controller('trajectories/:id')
export class CaseRecordsHttpController {
  constructor(
    private readonly commands: TrajectoryCommands,
    private readonly queries: TrajectoryQueries,
  ) {}

  private readCategory<T extends object>(
    id: string,
    principal: Principal,
    resource: string,
    category: DataCategory,
    body: (state: Parameters<Parameters<TrajectoryQueries['read']>[3]>[0]) => T,
  ): Promise<T> {
    return this.queries.read(id, readerOf(principal), resource, (state, entitlement) => {
      TrajectoryQueries.require(entitlement, category);
      return { body: body(state), categories: [category] };
    });
  }

  // --- participants -------------------------------------------------------------------------

  @DisclosesClientData()
  @Get('participants')
  @Roles(...READER_ROLES)
  @ApiOkResponse({ description: 'Participations (category participation)' })
  participants(@Param('id', UUID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.readCategory(id, principal, 'participants', 'participation', (s) => ({
      items: s.participations.map((p) => ({
        id: p.id,
        organisationId: p.organisationId,
        role: p.role,
        from: p.from.toISOString(),
        ...(p.until ? { until: p.until.toISOString() } : {}),
      })),
    }));
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('participants')
  @HttpCode(201)
  @Roles(...CASE_MANAGER_ROLES)
  async join(
    @Param('id', UUID) id: string,
    @Body() body: JoinParticipantDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const participationId = randomUUID();
    const result = await this.commands.run(id, principal, {
      type: 'join',
      input: { ...body, id: participationId },
    });
    return accepted(result, participationId);
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('participants/:participationId/leave')
  @HttpCode(200)
  @Roles(...CASE_MANAGER_ROLES)
  async leave(
    @Param('id', UUID) id: string,
    @Param('participationId', UUID) participationId: string,
    @Body() body: LeaveParticipantDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.commands.run(id, principal, {
      type: 'leave',
      participationId,
      ...(body.at ? { at: new Date(body.at) } : {}),
    });
    return accepted(result);
  }

  // --- legal titles -------------------------------------------------------------------------

  @DisclosesClientData()
  @Get('titles')
  @Roles(...READER_ROLES)
  @ApiOkResponse({ description: 'Legal titles (category title-and-conditions)' })
  titles(@Param('id', UUID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.readCategory(id, principal, 'titles', 'title-and-conditions', (s) => ({
      items: s.titles,
    }));
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('titles')
  @HttpCode(201)
  @Roles(...CASE_MANAGER_ROLES)
  async registerTitle(
    @Param('id', UUID) id: string,
    @Body() body: RegisterTitleDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const titleId = randomUUID();
    const result = await this.commands.run(id, principal, {
      type: 'register-title',
      input: { ...body, id: titleId },
    });
    return accepted(result, titleId);
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('titles/:titleId/changes')
  @HttpCode(200)
  @Roles(...CASE_MANAGER_ROLES)
  async changeTitle(
    @Param('id', UUID) id: string,
    @Param('titleId', UUID) titleId: string,
    @Body() body: ChangeTitleDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.commands.run(id, principal, {
      type: 'change-title',
      titleId,
      input: body,
    });
    return accepted(result);
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('titles/:titleId/end')
  @HttpCode(200)
  @Roles(...CASE_MANAGER_ROLES)
  async endTitle(
    @Param('id', UUID) id: string,
    @Param('titleId', UUID) titleId: string,
    @Body() body: EndTitleDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.commands.run(id, principal, {
      type: 'end-title',
      titleId,
      input: body,
    });
    return accepted(result);
  }

  // --- consent records ----------------------------------------------------------------------

  @DisclosesClientData()
  @Get('consents')
  @Roles(...READER_ROLES)
  @ApiOkResponse({ description: 'Consent records (category consent)' })
  consents(@Param('id', UUID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.readCategory(id, principal, 'consents', 'consent', (s) => ({
      items: s.consents.map((c) => ({
        id: c.id,
        recipient: c.recipient,
        categories: c.categories,
        purpose: c.purpose,
        legalBasis: c.legalBasis,
        onWordOf: c.onWordOf,
        validFrom: c.validFrom.toISOString(),
        ...(c.validUntil ? { validUntil: c.validUntil.toISOString() } : {}),
        ...(c.revokedAt ? { revokedAt: c.revokedAt.toISOString() } : {}),
        recordedAt: c.recordedAt.toISOString(),
        recordedBy: { organisationId: c.recordedBy.organisationId },
      })),
    }));
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('consents')
  @HttpCode(201)
  @Roles(...CASE_MANAGER_ROLES)
  async recordConsent(
    @Param('id', UUID) id: string,
    @Body() body: RecordConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const consentId = randomUUID();
    const result = await this.commands.run(id, principal, recordConsentCommand(consentId, body));
    return accepted(result, consentId);
  }

  @MetadataOnly(COMMAND_ANSWER)
  @Post('consents/:consentId/revoke')
  @HttpCode(200)
  @Roles(...CASE_MANAGER_ROLES)
  async revokeConsent(
    @Param('id', UUID) id: string,
    @Param('consentId', UUID) consentId: string,
    @Body() body: RevokeConsentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.commands.run(id, principal, revokeConsentCommand(consentId, body));
    return accepted(result);
  }
}
