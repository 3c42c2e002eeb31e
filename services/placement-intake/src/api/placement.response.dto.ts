import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { missingDocuments, PLACEMENT_STATUSES, type Placement } from '../domain/placement';
import { DOCUMENT_KINDS } from '../domain/vocabulary';

/**
 * A placement as the referrer or the provider sees it. The crucial (medical) information is
 * shown to the provider only; the referrer sees whether and when it was recorded.
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

  static from(p: Placement, viewerOrganisationId: string): PlacementResponseDto {
    const iso = (d: Date | undefined) => d?.toISOString();
    const opt = <K extends string, V>(k: K, v: V | undefined) =>
      v === undefined ? {} : { [k]: v };
    const isProvider = viewerOrganisationId === p.providerOrganisationId;
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
        isProvider && p.crucialInformation
          ? {
              medication: p.crucialInformation.medication,
              ...opt('notes', p.crucialInformation.notes),
            }
          : undefined,
      ),
      ...opt('movedInAt', iso(p.movedInAt)),
    } as PlacementResponseDto;
  }
}
