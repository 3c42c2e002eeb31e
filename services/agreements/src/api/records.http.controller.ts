import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '@ketenlink/auth';
import { DisclosesClientData, staffReaderOf } from '@ketenlink/disclosure';
import { staffOf } from '../application/actors';
import { AgreementQueries } from '../application/agreement-queries.service';
import { RecordCommands } from '../application/record-commands.service';
import {
  AcknowledgeDto,
  InspectorateReportDto,
  RaiseNotificationDto,
  RecordIncidentDto,
  RecordViolationDto,
} from './agreement.request.dto';
import { READERS, UUID } from './agreements.http.controller';
import {
  incidentProjection,
  incidentRecorded,
  notificationProjection,
  notificationRecorded,
  violationProjection,
  violationRecorded,
} from './projections';

const CUT = 'cut to what you may see';

/**
 * Notifications (meldingen) from the provider to the probation officer, violations with their
 * consequences, incidents with the inspectorate duty. Reads and answers through the gate: the
 * probation officer by legal duty, the recording organisation for its own records, the client
 * for his own; others get what their defaults allow (R-NOTIFY, R-INCIDENT).
 */
@ApiTags('notifications, violations, incidents')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'Not there, or not visible to you (problem+json)' })
@Controller()
export class RecordsHttpController {
  constructor(
    private readonly commands: RecordCommands,
    private readonly queries: AgreementQueries,
  ) {}

  @Post('agreements/:id/notifications')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('support-worker', 'coordinator')
  @ApiCreatedResponse({ description: `The notification, ${CUT}` })
  @ApiConflictResponse({ description: 'No agreement in force, or you are not the provider party' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown condition or trigger' })
  async raise(
    @Param('id', UUID) id: string,
    @Body() b: RaiseNotificationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const n = await this.commands.raise(id, { ...b }, staffOf(principal));
    return this.queries.discloseRecord(
      n,
      staffReaderOf(principal),
      'notification',
      notificationProjection,
      notificationRecorded,
    );
  }

  @Post('notifications/:id/acknowledgement')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('probation-officer')
  @ApiOkResponse({ description: `The notification, ${CUT}` })
  @ApiConflictResponse({ description: 'Already acknowledged, or not the addressed officer' })
  async acknowledge(
    @Param('id', UUID) id: string,
    @Body() b: AcknowledgeDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const n = await this.commands.acknowledge(id, staffOf(principal), b.response);
    return this.queries.discloseRecord(
      n,
      staffReaderOf(principal),
      'notification',
      notificationProjection,
      notificationRecorded,
    );
  }

  @Get('trajectories/:trajectoryId/notifications')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({ description: `The trajectory's notifications, each ${CUT}` })
  notifications(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.recordsOf(
      trajectoryId,
      staffReaderOf(principal),
      'notification',
      notificationProjection,
      notificationRecorded,
    );
  }

  @Post('agreements/:id/violations')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('support-worker', 'coordinator', 'probation-officer')
  @ApiCreatedResponse({ description: `The violation, ${CUT}` })
  @ApiConflictResponse({ description: 'No agreement in force, or not a party' })
  async violation(
    @Param('id', UUID) id: string,
    @Body() b: RecordViolationDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const body = JSON.parse(JSON.stringify(b)) as RecordViolationDto;
    const v = await this.commands.violation(id, body, staffOf(principal));
    return this.queries.discloseRecord(
      v,
      staffReaderOf(principal),
      'violation',
      violationProjection,
      violationRecorded,
    );
  }

  @Get('trajectories/:trajectoryId/violations')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({ description: `The trajectory's violations, each ${CUT}` })
  violations(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.recordsOf(
      trajectoryId,
      staffReaderOf(principal),
      'violation',
      violationProjection,
      violationRecorded,
    );
  }

  @Post('trajectories/:trajectoryId/incidents')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('support-worker', 'coordinator', 'placement-officer')
  @ApiCreatedResponse({
    description: `The incident with its inspectorate deadline when reportable, ${CUT}`,
  })
  async incident(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @Body() b: RecordIncidentDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const i = await this.commands.incident(
      trajectoryId,
      {
        kind: b.kind,
        occurredAt: new Date(b.occurredAt),
        description: b.description,
        ...(b.reportable !== undefined ? { reportable: b.reportable } : {}),
      },
      staffOf(principal),
    );
    return this.queries.discloseRecord(
      i,
      staffReaderOf(principal),
      'incident',
      incidentProjection,
      incidentRecorded,
    );
  }

  @Post('incidents/:id/inspectorate-report')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('support-worker', 'coordinator', 'placement-officer')
  @ApiOkResponse({ description: `The incident, ${CUT}` })
  @ApiConflictResponse({
    description: 'Not reportable, already reported, or not the recording organisation',
  })
  async report(
    @Param('id', UUID) id: string,
    @Body() b: InspectorateReportDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const i = await this.commands.report(id, staffOf(principal), b.reference);
    return this.queries.discloseRecord(
      i,
      staffReaderOf(principal),
      'incident',
      incidentProjection,
      incidentRecorded,
    );
  }

  @Get('trajectories/:trajectoryId/incidents')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({ description: `The trajectory's incidents, each ${CUT}` })
  incidents(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.recordsOf(
      trajectoryId,
      staffReaderOf(principal),
      'incident',
      incidentProjection,
      incidentRecorded,
    );
  }
}
