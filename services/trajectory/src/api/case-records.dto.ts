import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { PARTICIPANT_ROLES } from '@ketenlink/consent';
import {
  CONDITION_TYPES,
  CONSENT_SOURCES,
  TITLE_END_REASONS,
  TITLE_KINDS,
} from '../domain/trajectory';
import { DATE } from './trajectory.dto';

const ORG = /^[a-z0-9][a-z0-9-]{0,100}$/;
const dateMessage = (field: string) => ({ message: `${field} must be a date (YYYY-MM-DD)` });

export class JoinParticipantDto {
  @ApiProperty({ example: 'fz-de-brug' })
  @IsString()
  @Matches(ORG, { message: 'organisationId must be lower case letters, digits and hyphens' })
  organisationId!: string;

  @ApiProperty({ enum: PARTICIPANT_ROLES })
  @IsIn(PARTICIPANT_ROLES)
  role!: (typeof PARTICIPANT_ROLES)[number];

  @ApiProperty({ format: 'date', description: 'First day' })
  @Matches(DATE, dateMessage('from'))
  from!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last day (inclusive), when known' })
  @IsOptional()
  @Matches(DATE, dateMessage('until'))
  until?: string;
}

export class LeaveParticipantDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  at?: string;
}

export class ConditionDto {
  @ApiProperty({ enum: CONDITION_TYPES })
  @IsIn(CONDITION_TYPES)
  type!: (typeof CONDITION_TYPES)[number];

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  description!: string;
}

export class RegisterTitleDto {
  @ApiProperty({ enum: TITLE_KINDS })
  @IsIn(TITLE_KINDS)
  kind!: (typeof TITLE_KINDS)[number];

  @ApiProperty({ format: 'date' })
  @Matches(DATE, dateMessage('startDate'))
  startDate!: string;

  @ApiProperty({ format: 'date' })
  @Matches(DATE, dateMessage('expectedEndDate'))
  expectedEndDate!: string;

  @ApiPropertyOptional({ type: [ConditionDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];
}

export class ChangeTitleDto {
  @ApiProperty({ format: 'date' })
  @Matches(DATE, dateMessage('effectiveFrom'))
  effectiveFrom!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Extension or early end date' })
  @IsOptional()
  @Matches(DATE, dateMessage('expectedEndDate'))
  expectedEndDate?: string;

  @ApiPropertyOptional({ type: [ConditionDto], description: 'The new complete set' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];
}

export class EndTitleDto {
  @ApiProperty({ format: 'date' })
  @Matches(DATE, dateMessage('endedOn'))
  endedOn!: string;

  @ApiProperty({ enum: TITLE_END_REASONS })
  @IsIn(TITLE_END_REASONS)
  reason!: (typeof TITLE_END_REASONS)[number];
}

export class ConsentRecipientDto {
  @ApiProperty({ enum: ['organisation', 'class'] })
  @IsIn(['organisation', 'class'])
  kind!: 'organisation' | 'class';

  @ApiProperty({ description: "Organisation id, or 'relatives'", example: 'zvh-rotterdam' })
  @IsString()
  @Matches(ORG, { message: 'recipient.id must be lower case letters, digits and hyphens' })
  id!: string;
}

export class RecordConsentDto {
  @ApiProperty({ type: ConsentRecipientDto })
  @ValidateNested()
  @Type(() => ConsentRecipientDto)
  recipient!: ConsentRecipientDto;

  @ApiProperty({ type: [String], example: ['risk', 'plan-and-goals'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  categories!: string[];

  @ApiProperty({ example: 'Case meeting on housing and safety' })
  @IsString()
  @Length(1, 500)
  purpose!: string;

  @ApiProperty({ enum: ['consent', 'legal-duty', 'covenant'] })
  @IsIn(['consent', 'legal-duty', 'covenant'])
  legalBasis!: 'consent' | 'legal-duty' | 'covenant';

  @ApiProperty({ enum: CONSENT_SOURCES, description: 'On whose word the record is made' })
  @IsIn(CONSENT_SOURCES)
  onWordOf!: (typeof CONSENT_SOURCES)[number];

  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  validFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Exclusive end; open when absent' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  validUntil?: string;

  @ApiPropertyOptional({
    description:
      "Where the client's word, the court order or the statutory provision is kept (e.g. a signed " +
      "form number). Required when an organisation records on the client's word or a legal duty.",
    example: 'signed consent form 2026-118',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  evidenceReference?: string;

  @ApiPropertyOptional({
    description: 'The covenant a covenant record rests on (recorded by a ZVH only)',
    example: 'Convenant Zorg- en Veiligheidshuis Utrecht 2025',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  covenant?: string;
}

export class RevokeConsentDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: "Defaults to now; only between the record's start and now",
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  revokedAt?: string;

  @ApiPropertyOptional({
    enum: ['client', 'legal-representative'],
    description: "A participant other than the recorder withdraws on the client's word",
  })
  @IsOptional()
  @IsIn(['client', 'legal-representative'])
  onWordOf?: 'client' | 'legal-representative';
}

export class TransferCaseLeadDto {
  @ApiProperty({ example: 'reclassering-midden', description: 'A participating organisation' })
  @IsString()
  @Matches(ORG, { message: 'organisationId must be lower case letters, digits and hyphens' })
  organisationId!: string;
}
