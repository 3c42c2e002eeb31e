import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import {
  DisclosesClientData,
  DisclosureRefusedError,
  type Entitlement,
  staffReaderOf,
} from '@ketenlink/disclosure';
import { MatchingService } from '../application/matching/matching.service';
import {
  PlacementCommandsService,
  type Actor,
} from '../application/placements/placement-commands.service';
import { PlacementQueriesService } from '../application/placements/placement-queries.service';
import { RequestPlacementService } from '../application/placements/request-placement.service';
import type { Placement, PlacementDocument } from '../domain/placement';
import {
  AcceptRequestDto,
  CrucialInformationRequestDto,
  FirstContactRequestDto,
  MoveInRequestDto,
  RefuseRequestDto,
  ScheduleIntakeRequestDto,
  WaitlistRequestDto,
  WithdrawRequestDto,
} from './decision.request.dto';
import { MatchResultDto } from './matching.dto';
import {
  DocumentsRequestDto,
  PlacementRequestDto,
  type DocumentRequestDto,
} from './placement.request.dto';
import { PlacementResponseDto } from './placement.response.dto';

const uuid = new ParseUUIDPipe({ version: '4' });
const CANDIDATE_CATEGORIES = ['risk', 'plan-and-goals', 'title-and-conditions'] as const;

function requireAll(entitlement: Entitlement, categories: readonly string[]): void {
  const missing = categories.filter((c) => !entitlement.permitted.has(c as never));
  if (missing.length > 0) {
    throw new DisclosureRefusedError(
      'category-not-permitted',
      `Matching needs ${missing.join(', ')}, which you may not receive for this placement`,
    );
  }
}
const provider = (p: Principal): Actor => ({ organisationId: p.organisationId, side: 'provider' });

function toDocuments(docs: DocumentRequestDto[], now: Date): PlacementDocument[] {
  return docs.map((d) => ({
    kind: d.kind,
    attachedAt: now,
    ...(d.reference ? { reference: d.reference } : {}),
    ...(d.riskAssessment ? { riskAssessment: { ...d.riskAssessment } } : {}),
  }));
}

/**
 * Referrers ask (role referrer, their organisation = the referrer); providers decide (role
 * placement-officer, their organisation = the provider). Another organisation gets 404.
 */
@ApiTags('placements')
@ApiBearerAuth()
@Controller('placements')
export class PlacementsHttpController {
  constructor(
    private readonly requestPlacement: RequestPlacementService,
    private readonly commands: PlacementCommandsService,
    private readonly queries: PlacementQueriesService,
    private readonly matching: MatchingService,
  ) {}

  /** Every answer about a placement, commands' included, goes through the disclosure gate. */
  private view(p: Placement, principal: Principal, at?: Date): Promise<PlacementResponseDto> {
    return this.queries.disclose(
      p,
      staffReaderOf(principal),
      'placement',
      PlacementResponseDto.disclosed,
      at,
    );
  }

  @Post()
  @DisclosesClientData()
  @HttpCode(201)
  @Roles('referrer')
  @ApiCreatedResponse({ type: PlacementResponseDto })
  async request(@Body() b: PlacementRequestDto, @CurrentPrincipal() principal: Principal) {
    const now = new Date();
    const p = await this.requestPlacement.execute(
      {
        trajectoryId: b.trajectoryId,
        providerOrganisationId: b.providerOrganisationId,
        referrerOrganisationId: principal.organisationId,
        referrerKind: b.referrerKind,
        title: { ...b.title },
        offenceCategory: b.offenceCategory,
        activeSubstanceUse: b.activeSubstanceUse,
        needs: b.needs,
        urgency: b.urgency,
        ...(b.djiPlacementReference ? { djiPlacementReference: b.djiPlacementReference } : {}),
        ...(b.medicationNotes ? { medicationNotes: b.medicationNotes } : {}),
        documents: toDocuments(b.documents, now),
      },
      now,
    );
    return this.view(p, principal);
  }

  @Get()
  @DisclosesClientData()
  @Roles('referrer', 'placement-officer')
  @ApiOkResponse({ type: [PlacementResponseDto] })
  async list(@CurrentPrincipal() principal: Principal): Promise<PlacementResponseDto[]> {
    return this.queries.list(staffReaderOf(principal), PlacementResponseDto.disclosed);
  }

  @Get(':id')
  @DisclosesClientData()
  @Roles('referrer', 'placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async get(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.read(
      id,
      staffReaderOf(principal),
      'placement',
      PlacementResponseDto.disclosed,
    );
  }

  @Post(':id/documents')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('referrer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async documents(
    @Param('id', uuid) id: string,
    @Body() b: DocumentsRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const actor: Actor = { organisationId: principal.organisationId, side: 'referrer' };
    const p = await this.commands.addDocuments(actor, id, toDocuments(b.documents, new Date()));
    return this.view(p, principal);
  }

  @Get(':id/candidates')
  @DisclosesClientData()
  @Roles('placement-officer')
  @ApiOkResponse({ type: MatchResultDto })
  async candidates(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    // Ranking reads the offence category, needs and title: all three must be disclosed.
    return this.queries.read(
      id,
      staffReaderOf(principal),
      'placement-candidates',
      async (p, entitlement) => {
        if (p.providerOrganisationId !== principal.organisationId) {
          throw new DisclosureRefusedError('not-the-provider', 'Only the addressed provider ranks');
        }
        requireAll(entitlement, CANDIDATE_CATEGORIES);
        return {
          body: MatchResultDto.from(await this.matching.candidatesFor(p)),
          categories: CANDIDATE_CATEGORIES,
        };
      },
    );
  }

  @Post(':id/accept')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async accept(
    @Param('id', uuid) id: string,
    @Body() b: AcceptRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.view(await this.commands.accept(provider(principal), id, b.locationId), principal);
  }

  @Post(':id/refuse')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async refuse(
    @Param('id', uuid) id: string,
    @Body() b: RefuseRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const reason = {
      reasonCode: b.reasonCode,
      ...(b.reasonText ? { reasonText: b.reasonText } : {}),
    };
    // The refusal ends the referral's disclosure: its answer is what the provider could see
    // the moment before its refusal took effect, and nothing after.
    const refused = await this.commands.refuse(provider(principal), id, reason);
    return this.view(refused, principal, new Date(refused.decidedAt!.getTime() - 1));
  }

  @Post(':id/withdraw')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('referrer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async withdraw(
    @Param('id', uuid) id: string,
    @Body() b: WithdrawRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    // Only the referrer who asked; it ends the referral's disclosure to the provider at once.
    const actor: Actor = { organisationId: principal.organisationId, side: 'referrer' };
    const p = await this.commands.withdraw(actor, id, {
      ...(b.reasonText ? { reasonText: b.reasonText } : {}),
    });
    return this.view(p, principal);
  }

  @Post(':id/waitlist')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async waitlist(
    @Param('id', uuid) id: string,
    @Body() b: WaitlistRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const bridging = {
      bridgingAmbulant: b.bridgingAmbulant,
      ...(b.bridgingNote ? { bridgingNote: b.bridgingNote } : {}),
    };
    return this.view(await this.commands.waitlist(provider(principal), id, bridging), principal);
  }

  @Post(':id/intake')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async intake(
    @Param('id', uuid) id: string,
    @Body() b: ScheduleIntakeRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.view(
      await this.commands.scheduleIntake(provider(principal), id, new Date(b.scheduledFor)),
      principal,
    );
  }

  @Post(':id/first-contact')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async firstContact(
    @Param('id', uuid) id: string,
    @Body() b: FirstContactRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.view(
      await this.commands.recordFirstContact(provider(principal), id, new Date(b.at)),
      principal,
    );
  }

  @Post(':id/crucial-information')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async crucialInformation(
    @Param('id', uuid) id: string,
    @Body() b: CrucialInformationRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const info = { medication: b.medication, ...(b.notes ? { notes: b.notes } : {}) };
    return this.view(
      await this.commands.recordCrucialInformation(provider(principal), id, info),
      principal,
    );
  }

  @Post(':id/move-in')
  @DisclosesClientData()
  @HttpCode(200)
  @Roles('placement-officer')
  @ApiOkResponse({ type: PlacementResponseDto })
  async moveIn(
    @Param('id', uuid) id: string,
    @Body() b: MoveInRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const at = b.movedInAt ? new Date(b.movedInAt) : undefined;
    return this.view(await this.commands.moveIn(provider(principal), id, at), principal);
  }
}
