import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { HANDOVER_KINDS, HANDOVER_STATUSES } from '../domain/handover';

/** OpenAPI shape of a handover answer; fields the reader may not see are absent (`withheld`). */
export class HandoverResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) trajectoryId!: string;
  @ApiProperty({ enum: HANDOVER_STATUSES }) status!: string;
  @ApiPropertyOptional({ enum: HANDOVER_KINDS }) kind?: string;
  @ApiPropertyOptional() sendingOrganisationId?: string;
  @ApiPropertyOptional() receivingOrganisationId?: string;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ format: 'date' }) plannedDate?: string;
  @ApiPropertyOptional({ format: 'date-time' }) responseDueAt?: string;
  @ApiPropertyOptional({ description: 'What the receiving organisation package lacks, and why' })
  packageLeftOut?: object[];
  @ApiProperty({ type: [String], description: 'Fields left out for this reader' })
  withheld!: string[];
}

/** OpenAPI shape of the package; items the receiver may not read are absent and in `leftOut`. */
export class HandoverPackageResponseDto {
  @ApiProperty({ format: 'uuid' }) handoverId!: string;
  @ApiProperty({ format: 'uuid' }) trajectoryId!: string;
  @ApiPropertyOptional() titles?: object[];
  @ApiPropertyOptional() plan?: object;
  @ApiPropertyOptional() riskAssessment?: object;
  @ApiPropertyOptional() earlyWarningPlan?: object;
  @ApiPropertyOptional() closingReport?: object;
  @ApiProperty({ description: 'Items left out: item, category, reason' }) leftOut!: object[];
}
