import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { DisclosesClientData, MetadataOnly, readerOf } from '@ketenlink/disclosure';
import type { ParticipantRole } from '@ketenlink/consent';
import { ProblemException } from '@ketenlink/http';
import { TrajectoryCommands } from '../application/trajectory-commands.service';
import { TrajectoryQueries } from '../application/trajectory-queries.service';
import { READER_ROLES } from './roles';
import {
  ClientIdentityDto,
  IdentityResponseDto,
  OpenTrajectoryRequestDto,
  TimelineResponseDto,
  TrajectoryResponseDto,
} from './trajectory.dto';

export const UUID = new ParseUUIDPipe({ version: '4' });

/** The opener's role in the trajectory, from the request or the caller's role. */
function openerParticipantRole(principal: Principal, requested?: ParticipantRole): ParticipantRole {
  if (requested) return requested;
  if (principal.roles.includes('referrer')) return 'referrer';
  if (principal.roles.includes('zvh-coordinator')) return 'zvh';
  throw new ProblemException(
    400,
    'validation-error',
    'participantRole is required',
    'A coordinator states the role its organisation takes in the trajectory (participantRole).',
  );
}

@ApiTags('trajectories')
@ApiBearerAuth()
@Controller('trajectories')
export class TrajectoriesHttpController {
  constructor(
    private readonly commands: TrajectoryCommands,
    private readonly queries: TrajectoryQueries,
  ) {}

  /** Opened by a referrer or a case coordinator, for their own organisation (the token's). */
  @Post()
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('referrer', 'coordinator', 'zvh-coordinator')
  @ApiCreatedResponse({ type: TrajectoryResponseDto })
  async open(
    @Body() body: OpenTrajectoryRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrajectoryResponseDto> {
    const state = await this.commands.open(principal, {
      role: principal.roles.includes('referrer') ? 'referrer' : 'coordinator',
      participantRole: openerParticipantRole(principal, body.participantRole),
      ...(body.region ? { region: body.region } : {}),
      ...(body.client ? { client: body.client } : {}),
    });
    // Even the answer to the opener goes through the policy (and the access log).
    return this.queries.read(
      state.trajectory.id,
      readerOf(principal),
      'trajectory',
      (s, entitlement) => TrajectoryResponseDto.from(s, entitlement),
    );
  }

  @Get(':id')
  @DisclosesClientData()
  @Roles(...READER_ROLES)
  @ApiOkResponse({ type: TrajectoryResponseDto })
  async get(
    @Param('id', UUID) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrajectoryResponseDto> {
    return this.queries.read(id, readerOf(principal), 'trajectory', (state, entitlement) =>
      TrajectoryResponseDto.from(state, entitlement),
    );
  }

  /** Every event of the trajectory from every service, filtered field by field for the caller. */
  @Get(':id/timeline')
  @DisclosesClientData()
  @Roles(...READER_ROLES)
  @ApiOkResponse({ type: TimelineResponseDto })
  async timeline(
    @Param('id', UUID) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TimelineResponseDto> {
    return (await this.queries.timelineOf(id, readerOf(principal))) as TimelineResponseDto;
  }

  /** Records (or corrects) the client's identity in the vault. */
  @Put(':id/identity')
  @MetadataOnly('writes the identity into the vault; answers 204 without a body')
  @HttpCode(204)
  @Roles('referrer', 'coordinator', 'zvh-coordinator')
  @ApiNoContentResponse()
  async putIdentity(
    @Param('id', UUID) id: string,
    @Body() body: ClientIdentityDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    await this.commands.recordIdentity(id, principal, body);
  }

  /** Few may read it: a reader role and an explicit record for `identity`; every read logged. */
  @Get(':id/identity')
  @DisclosesClientData()
  @Roles('coordinator', 'zvh-coordinator', 'probation-officer', 'placement-officer')
  @ApiOkResponse({ type: IdentityResponseDto })
  async getIdentity(
    @Param('id', UUID) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IdentityResponseDto> {
    return this.queries.identityOf(id, readerOf(principal));
  }
}
