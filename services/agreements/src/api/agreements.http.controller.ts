import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
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
import { actorOf } from '../application/actors';
import { AgreementCommands } from '../application/agreement-commands.service';
import { AgreementQueries } from '../application/agreement-queries.service';
import {
  activate,
  type Agreement,
  amend,
  diff,
  sign,
  terminate,
  type Terms,
} from '../domain/agreement';
import { AgreementInputError } from '../domain/errors';
import {
  AmendDto,
  DraftAgreementDto,
  RecordTalkDto,
  RevisionDto,
  SignDto,
  TerminateDto,
} from './agreement.request.dto';
import { agreementProjection, projectWith } from './projections';
import { DIFF_VIEW, diffBody } from './views';

export const UUID = new ParseUUIDPipe({ version: '4' });
export const READERS = [
  'probation-officer',
  'support-worker',
  'coordinator',
  'placement-officer',
  'zvh-coordinator',
  'referrer',
  'operator',
] as const;
const WRITERS = ['probation-officer', 'support-worker', 'coordinator'] as const;

const ANSWER = 'The agreement, cut to what you may see (withheld lists what was left out)';

/**
 * The three-party agreement of a trajectory: drafted by a party, signed by the three, amended as
 * new versions, terminated. Every answer, commands' included, goes through the disclosure gate.
 */
@ApiTags('agreements')
@ApiBearerAuth()
@ApiNotFoundResponse({ description: 'Not there, or not visible to you (problem+json)' })
@Controller()
export class AgreementsHttpController {
  constructor(
    private readonly commands: AgreementCommands,
    private readonly queries: AgreementQueries,
  ) {}

  private view(a: Agreement, principal: Principal) {
    return this.queries.discloseAgreement(
      a,
      staffReaderOf(principal),
      'agreement',
      agreementProjection,
    );
  }

  @Post('trajectories/:trajectoryId/agreements')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...WRITERS)
  @ApiCreatedResponse({ description: ANSWER })
  @ApiConflictResponse({ description: 'The trajectory already has an open agreement' })
  @ApiUnprocessableEntityResponse({
    description: 'Parties not taking part, or terms that contradict themselves',
  })
  async draft(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @Body() b: DraftAgreementDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const a = await this.commands.draft(
      { trajectoryId, parties: { ...b.parties }, terms: plainTerms(b.terms) },
      actorOf(principal),
    );
    return this.view(a, principal);
  }

  @Post('trajectories/:trajectoryId/recorded-talks')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...WRITERS)
  @ApiCreatedResponse({ description: `${ANSWER}; in force at once, without signatures` })
  async recordTalk(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @Body() b: RecordTalkDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const a = await this.commands.draft(
      { trajectoryId, parties: { ...b.parties }, terms: plainTerms(b.terms), talkHeldOn: b.heldOn },
      actorOf(principal),
    );
    return this.view(a, principal);
  }

  @Get('trajectories/:trajectoryId/agreements')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({
    description: 'The trajectory’s agreements, newest first, each cut to what you may see',
  })
  list(
    @Param('trajectoryId', UUID) trajectoryId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.agreementsOf(trajectoryId, staffReaderOf(principal), agreementProjection);
  }

  @Get('agreements/:id')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({ description: `${ANSWER}; every version stays readable` })
  get(@Param('id', UUID) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.agreement(id, staffReaderOf(principal), 'agreement', agreementProjection);
  }

  @Get('agreements/:id/diff')
  @DisclosesClientData()
  @Roles(...READERS)
  @ApiOkResponse({
    description: 'What changed between two versions, per section, cut to what you may see',
  })
  diff(
    @Param('id', UUID) id: string,
    @Query('from', ParseIntPipe) from: number,
    @Query('to', ParseIntPipe) to: number,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.agreement(id, staffReaderOf(principal), 'agreement-diff', (a, e) =>
      projectWith(DIFF_VIEW, () => diffBody(a.id, from, to, diff(a, from, to)))(a, e),
    );
  }

  @Post('agreements/:id/signatures')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('probation-officer', 'support-worker', 'coordinator', 'placement-officer')
  @ApiCreatedResponse({ description: ANSWER })
  @ApiConflictResponse({
    description: 'An outdated version, signed already, not a party, or terminated',
  })
  async sign(
    @Param('id', UUID) id: string,
    @Body() b: SignDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const actor = actorOf(principal);
    const a = await this.commands.run(id, actor, (x) => sign(x, b.version, actor, new Date()));
    return this.view(a, principal);
  }

  @Post('agreements/:id/activation')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOkResponse({ description: ANSWER })
  @ApiConflictResponse({
    description: 'Signatures missing, already active, terminated, or changed meanwhile',
  })
  async activate(
    @Param('id', UUID) id: string,
    @Body() b: RevisionDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const a = await this.commands.run(
      id,
      actorOf(principal),
      (x) => activate(x, new Date()),
      revision(b.revision),
    );
    return this.view(a, principal);
  }

  @Post('agreements/:id/amendments')
  @DisclosesClientData()
  @HttpCode(201)
  @Roles(...WRITERS)
  @ApiCreatedResponse({ description: `${ANSWER}: a new version` })
  @ApiConflictResponse({
    description: 'Terminated, or changed since the revision you read (optimistic locking)',
  })
  async amend(
    @Param('id', UUID) id: string,
    @Body() b: AmendDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const actor = actorOf(principal);
    const terms = plainTerms(b.terms);
    if (!terms.conditions)
      throw new AgreementInputError(
        'conditions-required',
        'An amendment gives the complete terms, conditions included.',
      );
    const full = terms as Terms;
    const a = await this.commands.run(
      id,
      actor,
      (x) =>
        amend(
          x,
          {
            terms: full,
            by: actor,
            ...(b.reason ? { reason: b.reason } : {}),
            ...(b.heldOn ? { heldOn: b.heldOn } : {}),
          },
          new Date(),
        ),
      { expectedRevision: b.revision },
    );
    return this.view(a, principal);
  }

  @Post('agreements/:id/termination')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles(...WRITERS)
  @ApiOkResponse({ description: ANSWER })
  @ApiConflictResponse({ description: 'Already terminated, or changed meanwhile' })
  async terminate(
    @Param('id', UUID) id: string,
    @Body() b: TerminateDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const actor = actorOf(principal);
    const a = await this.commands.run(
      id,
      actor,
      (x) =>
        terminate(
          x,
          {
            reason: b.reason,
            on: b.on,
            by: actor,
            ...(b.explanation ? { explanation: b.explanation } : {}),
            ...(b.violationId ? { violationId: b.violationId } : {}),
          },
          new Date(),
        ),
      revision(b.revision),
    );
    return this.view(a, principal);
  }
}

const revision = (r: number | undefined) => (r === undefined ? {} : { expectedRevision: r });

/** The validated DTO as plain data (class instances → plain objects, for jsonb and events). */
export function plainTerms(
  t: object,
): Omit<Terms, 'conditions'> & { conditions?: Terms['conditions'] } {
  return JSON.parse(JSON.stringify(t)) as Omit<Terms, 'conditions'> & {
    conditions?: Terms['conditions'];
  };
}
