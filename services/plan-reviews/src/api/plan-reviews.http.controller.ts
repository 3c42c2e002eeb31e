import {
  Body,
  Controller,
  DefaultValuePipe,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, type Role } from '@ketenlink/auth';
import { DisclosesClientData, MetadataOnly, staffReaderOf } from '@ketenlink/disclosure';
import { InvalidRuleOverridesError } from '../application/errors';
import { RecordsQueries } from '../application/records.queries';
import { Clock } from '../application/clock';
import { RecordsService } from '../application/records.service';
import { ScheduleService } from '../application/schedule.service';
import { ScheduleStore } from '../application/ports/schedule.store.port';
import { overrideProblems, RULE_IDS, type RuleOverrides } from '../domain/rules';

const uuid = new ParseUUIDPipe({ version: '4' });
const STAFF = [
  'coordinator',
  'support-worker',
  'probation-officer',
  'zvh-coordinator',
] as const satisfies readonly Role[];
const body = (description: string, event: string) => ({
  description: `${description} The body is the \`${event}\` payload (contracts/events) without the fields the service sets; unknown fields are refused.`,
  schema: { type: 'object' as const, additionalProperties: true },
});

/**
 * Plans, risk assessments, meetings and the coordinator's agenda. Writes need a participating
 * organisation; every answer with client data passes the disclosure gate.
 */
@ApiTags('plan-reviews')
@ApiBearerAuth()
@Controller()
export class PlanReviewsHttpController {
  constructor(
    private readonly commands: RecordsService,
    private readonly queries: RecordsQueries,
    private readonly schedules: ScheduleStore,
    private readonly reconcile: ScheduleService,
    private readonly clock: Clock,
  ) {}

  @Post('trajectories/:id/plans')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiBody(
    body(
      'A new plan version of your organisation (planId to version an existing plan).',
      'plan.versioned',
    ),
  )
  @ApiCreatedResponse({ description: 'The recorded version, as you may see it.' })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json); nothing stored.' })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async versionPlan(
    @Param('id', uuid) id: string,
    @Body() b: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    const v = await this.commands.versionPlan(id, b, p);
    return this.queries.recorded('nl.ketenlink.plan.versioned.v1', v, id, staffReaderOf(p), 'plan');
  }

  @Get('trajectories/:id/plans')
  @DisclosesClientData()
  @Roles(...STAFF)
  @ApiOkResponse({
    description: 'The latest version of every plan (stapelzorg), cut to your entitlement.',
  })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async plans(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.plans(id, staffReaderOf(p));
  }

  @Post('trajectories/:id/risk-assessments')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiBody(body('A risk assessment made by your organisation.', 'risk-assessment.recorded'))
  @ApiCreatedResponse({ description: 'The recorded assessment, as you may see it.' })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json); nothing stored.' })
  @ApiUnprocessableEntityResponse({ description: 'Expiry not after the assessment date.' })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async assess(
    @Param('id', uuid) id: string,
    @Body() b: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    const a = await this.commands.recordAssessment(id, b, p);
    return this.queries.recorded(
      'nl.ketenlink.risk-assessment.recorded.v1',
      a,
      id,
      staffReaderOf(p),
      'risk-assessment',
    );
  }

  @Get('trajectories/:id/risk-assessments')
  @DisclosesClientData()
  @Roles(...STAFF)
  @ApiOkResponse({ description: 'The assessments, newest first, cut to your entitlement.' })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async assessments(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.assessments(id, staffReaderOf(p));
  }

  @Post('trajectories/:id/meetings')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiBody(
    body(
      'A review, driegesprek or MDO held (optional progressReport: true when the client took part in a progress report).',
      'meeting.held',
    ),
  )
  @ApiCreatedResponse({ description: 'The recorded meeting, as you may see it.' })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json); nothing stored.' })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async meeting(
    @Param('id', uuid) id: string,
    @Body() b: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    const { meeting } = await this.commands.recordMeeting(id, b, p);
    return this.queries.recorded(
      'nl.ketenlink.meeting.held.v1',
      meeting,
      id,
      staffReaderOf(p),
      'meeting',
    );
  }

  @Post('trajectories/:id/progress-notes')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...STAFF)
  @ApiBody(
    body(
      'A progress note on a goal of the current plan (periodicReport: true with clientTookPart: true for the periodic progress report, R-PROGRESS).',
      'plan.progress-noted',
    ),
  )
  @ApiCreatedResponse({ description: 'The recorded note, as you may see it.' })
  @ApiBadRequestResponse({ description: 'Invalid body (problem+json); nothing stored.' })
  @ApiUnprocessableEntityResponse({
    description:
      'The goal is not in the current plan version, the date is in the future, or a periodic report without the client.',
  })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async noteProgress(
    @Param('id', uuid) id: string,
    @Body() b: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    const n = await this.commands.noteProgress(id, b, p);
    return this.queries.recorded(
      'nl.ketenlink.plan.progress-noted.v1',
      n,
      id,
      staffReaderOf(p),
      'progress-note',
    );
  }

  @Get('trajectories/:id/progress-notes')
  @DisclosesClientData()
  @Roles(...STAFF)
  @ApiOkResponse({ description: 'The progress notes, newest first, cut to your entitlement.' })
  @ApiNotFoundResponse({ description: 'No visible trajectory.' })
  async progressNotes(@Param('id', uuid) id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.progressNotes(id, staffReaderOf(p));
  }

  @Get('agenda')
  @DisclosesClientData()
  @Roles(...STAFF)
  @ApiQuery({
    name: 'include',
    required: false,
    enum: ['scheduled'],
    description: 'Also the items not yet due.',
  })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  @ApiOkResponse({
    description: 'What is due or overdue for your organisation, by due date, paged.',
  })
  async agenda(
    @CurrentPrincipal() p: Principal,
    @Query('include') include?: string,
    @Query('limit', new DefaultValuePipe(50), ParseIntPipe) limit = 50,
    @Query('offset', new DefaultValuePipe(0), ParseIntPipe) offset = 0,
  ) {
    if (include !== undefined && include !== 'scheduled')
      throw new InvalidRuleOverridesError([`include: only 'scheduled'`]);
    if (limit < 1 || limit > 200 || offset < 0)
      throw new InvalidRuleOverridesError(['limit 1..200, offset >= 0']);
    const states = include ? ['scheduled', 'due', 'overdue'] : ['due', 'overdue'];
    return this.queries.agenda(staffReaderOf(p), states, { limit, offset });
  }

  @Put('rule-overrides/:region')
  @MetadataOnly('a region’s rule settings (configuration; no client data)')
  @Roles('registry-admin')
  @ApiBody({
    description: `Overrides per rule id (${RULE_IDS.join(', ')}), e.g. { "R-DRIEGESPREK": { "cadence": { "days": 14 } } }.`,
    schema: { type: 'object' },
  })
  @ApiOkResponse({
    description: 'Stored; the schedules of the region are reconciled at once (moved or cancelled).',
  })
  @ApiUnprocessableEntityResponse({
    description: 'Unknown rule or setting, or a period that is not > 0.',
  })
  async setOverrides(
    @Param('region') region: string,
    @Body() b: Record<string, unknown>,
    @CurrentPrincipal() p: Principal,
  ) {
    const problems = overrideProblems(b);
    if (problems.length > 0 || !/^[A-Za-z][A-Za-z -]{0,60}$/.test(region)) {
      throw new InvalidRuleOverridesError(
        problems.length ? problems : ['region: letters, spaces and hyphens'],
      );
    }
    await this.schedules.setRegionRules(region, b as RuleOverrides, p.subject);
    const trajectories = await this.reconcile.reconcileRegion(region, this.clock.now());
    return { region, rules: b, trajectoriesRescheduled: trajectories };
  }
}
