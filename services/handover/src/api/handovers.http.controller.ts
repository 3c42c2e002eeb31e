import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { DisclosesClientData, staffReaderOf } from '@ketenlink/disclosure';
import { HandoverCommandsService } from '../application/handovers/handover-commands.service';
import { HandoverQueriesService } from '../application/handovers/handover-queries.service';
import type { Handover } from '../domain/handover';
import {
  CancelHandoverDto,
  ClosingReportDto,
  CompleteHandoverDto,
  DeclineHandoverDto,
  MeetingHeldDto,
  RequestHandoverDto,
  ScheduleMeetingDto,
} from './handover.request.dto';
import { HandoverPackageResponseDto, HandoverResponseDto } from './handover.response.dto';

const uuid = new ParseUUIDPipe({ version: '4' });
const party = (p: Principal) => ({ organisationId: p.organisationId });

/**
 * Coordinators of the sending and the receiving organisation (role coordinator or
 * zvh-coordinator). Another organisation gets 404; every answer goes through the gate.
 */
@ApiTags('handovers')
@ApiBearerAuth()
@Controller('handovers')
export class HandoversHttpController {
  constructor(
    private readonly commands: HandoverCommandsService,
    private readonly queries: HandoverQueriesService,
  ) {}

  private view(h: Handover, principal: Principal) {
    return this.queries.disclose(h, staffReaderOf(principal));
  }

  @Post()
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiCreatedResponse({ type: HandoverResponseDto })
  async request(@Body() b: RequestHandoverDto, @CurrentPrincipal() principal: Principal) {
    const h = await this.commands.request(party(principal), {
      trajectoryId: b.trajectoryId,
      kind: b.kind,
      ...(b.followOnCare ? { followOnCare: b.followOnCare } : {}),
      receivingOrganisationId: b.receivingOrganisationId,
      reason: b.reason,
      plannedDate: b.plannedDate,
    });
    return this.view(h, principal);
  }

  @Get()
  @DisclosesClientData()
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: [HandoverResponseDto] })
  list(@CurrentPrincipal() principal: Principal) {
    return this.queries.list(staffReaderOf(principal));
  }

  @Get(':id')
  @DisclosesClientData()
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  read(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.read(id, staffReaderOf(principal));
  }

  @Get(':id/package')
  @DisclosesClientData()
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverPackageResponseDto })
  package(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.package(id, staffReaderOf(principal));
  }

  @Post(':id/accept')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async accept(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.view(await this.commands.accept(party(principal), id), principal);
  }

  @Post(':id/decline')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async decline(
    @Param('id', uuid) id: string,
    @Body() b: DeclineHandoverDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const reason = {
      reasonCode: b.reasonCode,
      ...(b.reasonText ? { reasonText: b.reasonText } : {}),
    };
    return this.view(await this.commands.decline(party(principal), id, reason), principal);
  }

  @Post(':id/meeting')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async scheduleMeeting(
    @Param('id', uuid) id: string,
    @Body() b: ScheduleMeetingDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const h = await this.commands.scheduleMeeting(party(principal), id, {
      meetingAt: new Date(b.meetingAt),
      ...(b.location ? { location: b.location } : {}),
    });
    return this.view(h, principal);
  }

  @Post(':id/meeting-held')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async meetingHeld(
    @Param('id', uuid) id: string,
    @Body() b: MeetingHeldDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const h = await this.commands.recordMeeting(party(principal), id, {
      heldAt: new Date(b.heldAt),
      clientPresent: b.clientPresent,
      receiverPresent: b.receiverPresent,
      probationPresent: b.probationPresent,
    });
    return this.view(h, principal);
  }

  @Post(':id/closing-report')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async closingReport(
    @Param('id', uuid) id: string,
    @Body() b: ClosingReportDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const h = await this.commands.recordClosingReport(party(principal), id, {
      risks: b.risks,
      whatWorks: b.whatWorks,
      whyEnded: b.whyEnded,
    });
    return this.view(h, principal);
  }

  @Post(':id/complete')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async complete(
    @Param('id', uuid) id: string,
    @Body() b: CompleteHandoverDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const h = await this.commands.complete(party(principal), id, {
      ...(b.receiverJoinsOn ? { receiverJoinsOn: b.receiverJoinsOn } : {}),
      senderLeavesOn: b.senderLeavesOn,
    });
    return this.view(h, principal);
  }

  @Post(':id/cancel')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('coordinator', 'zvh-coordinator')
  @ApiOkResponse({ type: HandoverResponseDto })
  async cancel(
    @Param('id', uuid) id: string,
    @Body() b: CancelHandoverDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.view(await this.commands.cancel(party(principal), id, b.reason), principal);
  }
}
