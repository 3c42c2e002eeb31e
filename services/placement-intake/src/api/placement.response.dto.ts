import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DataCategory } from '@ketenlink/contracts';
import { ClientDataView, type Disclosed, type Entitlement } from '@ketenlink/disclosure';
import { missingDocuments, PLACEMENT_STATUSES, type Placement } from '../domain/placement';
import { DOCUMENT_KINDS } from '../domain/vocabulary';

/**
 * Every field of the placement answer with its data category (as the placement.requested
 * contract tags them); the disclosure gate's filter keeps only what the reader is entitled to.
 */
export const PLACEMENT_VIEW = ClientDataView.of({
  id: 'metadata',
  trajectoryId: 'metadata',
  providerOrganisationId: 'participation',
  referrerOrganisationId: 'participation',
  referrerKind: 'participation',
  status: 'metadata',
  title: {
    category: 'title-and-conditions',
    object: {
      kind: 'title-and-conditions',
      startDate: 'title-and-conditions',
      expectedEndDate: 'title-and-conditions',
      remainingMonths: 'title-and-conditions',
    },
  },
  offenceCategory: 'risk',
  activeSubstanceUse: 'risk',
  needs: 'plan-and-goals',
  urgency: 'plan-and-goals',
  djiPlacementReference: 'title-and-conditions',
  medicationNotes: 'medical',
  documents: {
    category: 'metadata',
    arrayOf: {
      kind: 'metadata',
      attachedAt: 'metadata',
      reference: 'metadata',
      riskAssessment: {
        category: 'risk',
        object: {
          instrument: 'risk',
          author: 'risk',
          assessedOn: 'risk',
          setting: 'risk',
          validUntil: 'risk',
        },
      },
    },
  },
  missingDocuments: 'metadata',
  requestedAt: 'metadata',
  answerDueOn: 'metadata',
  decidedAt: 'metadata',
  locationId: 'contact-and-logistics',
  // The decision's code is the referrer's follow-up; its free text may describe the client.
  refusal: { category: 'metadata', object: { reasonCode: 'metadata', reasonText: 'risk' } },
  waitlist: {
    category: 'plan-and-goals',
    object: { bridgingAmbulant: 'plan-and-goals', bridgingNote: 'plan-and-goals' },
  },
  intakeScheduledFor: 'contact-and-logistics',
  firstContactAt: 'contact-and-logistics',
  crucialInformationRecordedAt: 'metadata',
  crucialInformation: { category: 'medical', object: { medication: 'medical', notes: 'medical' } },
  movedInAt: 'metadata',
});

/**
 * A placement as the disclosure gate lets the reader see it: the referrer what a referrer is
 * entitled to, the addressed provider what the referral (or its participation) grants; `withheld`
 * names the fields left out.
 */
export class PlacementResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) trajectoryId!: string;
  @ApiProperty() providerOrganisationId!: string;
  @ApiProperty() referrerOrganisationId!: string;
  @ApiProperty() referrerKind!: string;
  @ApiProperty({ enum: PLACEMENT_STATUSES }) status!: string;
  @ApiProperty() title!: Record<string, unknown>;
  @ApiProperty() offenceCategory!: string;
  @ApiProperty() activeSubstanceUse!: boolean;
  @ApiProperty({ type: [String] }) needs!: string[];
  @ApiProperty() urgency!: string;
  @ApiPropertyOptional() djiPlacementReference?: string;
  @ApiPropertyOptional({ description: 'Medical: the provider only' }) medicationNotes?: string;
  @ApiProperty({ type: [Object] }) documents!: Record<string, unknown>[];
  @ApiProperty({ enum: DOCUMENT_KINDS, isArray: true }) missingDocuments!: string[];
  @ApiProperty({ format: 'date-time' }) requestedAt!: string;
  @ApiProperty({ format: 'date', description: 'R-IFZO-5D answer deadline (Amsterdam working day)' })
  answerDueOn!: string;
  @ApiPropertyOptional({ format: 'date-time' }) decidedAt?: string;
  @ApiPropertyOptional({ format: 'uuid' }) locationId?: string;
  @ApiPropertyOptional() refusal?: Record<string, unknown>;
  @ApiPropertyOptional() waitlist?: Record<string, unknown>;
  @ApiPropertyOptional({ format: 'date-time' }) intakeScheduledFor?: string;
  @ApiPropertyOptional({ format: 'date-time' }) firstContactAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) crucialInformationRecordedAt?: string;
  @ApiPropertyOptional({ description: 'Provider only' }) crucialInformation?: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ format: 'date-time' }) movedInAt?: string;
  @ApiProperty({ type: [String], description: 'Fields left out for lack of entitlement' })
  withheld!: string[];

  /** The answer for one reader: every field filtered by its category (the gate's projection). */
  static disclosed(p: Placement, entitlement: Entitlement): Disclosed<PlacementResponseDto> {
    const { data, withheld, categories } = PLACEMENT_VIEW.filter(
      PlacementResponseDto.full(p),
      entitlement.permitted,
    );
    return {
      body: { ...data, withheld } as unknown as PlacementResponseDto,
      categories: categories as DataCategory[],
    };
  }

  /** Everything the service holds of the placement; never returned without the filter. */
  private static full(p: Placement): Omit<PlacementResponseDto, 'withheld'> {
    const iso = (d: Date | undefined) => d?.toISOString();
    const opt = <K extends string, V>(k: K, v: V | undefined) =>
      v === undefined ? {} : { [k]: v };
    return {
      id: p.id,
      trajectoryId: p.trajectoryId,
      providerOrganisationId: p.providerOrganisationId,
      referrerOrganisationId: p.referrerOrganisationId,
      referrerKind: p.referrerKind,
      status: p.status,
      title: { ...p.title },
      offenceCategory: p.offenceCategory,
      activeSubstanceUse: p.activeSubstanceUse,
      needs: [...p.needs],
      urgency: p.urgency,
      ...opt('djiPlacementReference', p.djiPlacementReference),
      ...opt('medicationNotes', p.medicationNotes),
      documents: p.documents.map((d) => ({ ...d, attachedAt: d.attachedAt.toISOString() })),
      missingDocuments: missingDocuments(p.documents),
      requestedAt: p.requestedAt.toISOString(),
      answerDueOn: p.answerDueOn,
      ...opt('decidedAt', iso(p.decidedAt)),
      ...opt('locationId', p.locationId),
      ...opt('refusal', p.refusal ? { ...p.refusal } : undefined),
      ...opt('waitlist', p.waitlist ? { ...p.waitlist } : undefined),
      ...opt('intakeScheduledFor', iso(p.intakeScheduledFor)),
      ...opt('firstContactAt', iso(p.firstContactAt)),
      ...opt('crucialInformationRecordedAt', iso(p.crucialInformation?.recordedAt)),
      ...opt(
        'crucialInformation',
        p.crucialInformation
          ? {
              medication: p.crucialInformation.medication,
              ...opt('notes', p.crucialInformation.notes),
            }
          : undefined,
      ),
      ...opt('movedInAt', iso(p.movedInAt)),
    } as Omit<PlacementResponseDto, 'withheld'>;
  }
}
