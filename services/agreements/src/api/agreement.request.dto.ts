import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import * as V from '../domain/vocabulary';

/** Request bodies (class-validator; unknown fields are refused by the HTTP edge). */
const ORG_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const TEXT = /^[^<>]*$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A list of at most 50 short texts (goals, house rules): each 1–1000 characters, no markup. */
function TextList(): PropertyDecorator {
  return (target, key) => {
    for (const d of [
      ApiProperty({ type: [String] }),
      IsArray(),
      ArrayMaxSize(50),
      IsString({ each: true }),
      Length(1, 1000, { each: true }),
      Matches(TEXT, { each: true }),
    ])
      d(target, key);
  };
}

function IsDate(): PropertyDecorator {
  return (target, key) => {
    Matches(DATE_ONLY, { message: `${String(key)} must be YYYY-MM-DD` })(target, key);
    IsISO8601({ strict: true })(target, key);
  };
}
function Text(max: number): PropertyDecorator {
  return (target, key) => {
    IsString()(target, key);
    Length(1, max)(target, key);
    Matches(TEXT, { message: `${String(key)} must not contain < or >` })(target, key);
  };
}

export class ConditionDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') conditionId!: string;
  @ApiProperty({ enum: V.CONDITION_TYPES })
  @IsIn(V.CONDITION_TYPES)
  type!: (typeof V.CONDITION_TYPES)[number];
  @ApiProperty() @Text(2000) text!: string;
  @ApiProperty({ enum: V.CONDITION_SOURCES })
  @IsIn(V.CONDITION_SOURCES)
  source!: (typeof V.CONDITION_SOURCES)[number];
  @ApiPropertyOptional() @IsOptional() @Text(200) sourceReference?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() titleId?: string;
}

export class TriggerDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') triggerId!: string;
  @ApiProperty({ enum: V.TRIGGER_KINDS })
  @IsIn(V.TRIGGER_KINDS)
  kind!: (typeof V.TRIGGER_KINDS)[number];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') conditionId?: string;
  @ApiProperty() @Text(2000) description!: string;
}

export class IntervalDto {
  @ApiProperty({ minimum: 1, maximum: 365 }) @IsInt() @Min(1) @Max(365) count!: number;
  @ApiProperty({ enum: V.INTERVAL_UNITS })
  @IsIn(V.INTERVAL_UNITS)
  unit!: (typeof V.INTERVAL_UNITS)[number];
}

export class ContactFrequencyDto {
  @ApiProperty({ enum: V.CONTACT_BETWEEN })
  @IsIn(V.CONTACT_BETWEEN)
  between!: (typeof V.CONTACT_BETWEEN)[number];
  @ApiProperty({ type: IntervalDto })
  @ValidateNested()
  @Type(() => IntervalDto)
  every!: IntervalDto;
}

export class DriegesprekDto {
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsDate() firstOn?: string;
  @ApiProperty({ type: IntervalDto })
  @ValidateNested()
  @Type(() => IntervalDto)
  every!: IntervalDto;
  @ApiProperty({ format: 'date' }) @IsDate() nextReviewOn!: string;
}

export class LifeAreaOwnerDto {
  @ApiProperty({ enum: V.LIFE_AREAS }) @IsIn(V.LIFE_AREAS) lifeArea!: (typeof V.LIFE_AREAS)[number];
  @ApiProperty({ enum: V.LIFE_AREA_OWNERS })
  @IsIn(V.LIFE_AREA_OWNERS)
  owner!: (typeof V.LIFE_AREA_OWNERS)[number];
  @ApiPropertyOptional() @IsOptional() @Text(1000) note?: string;
}

export class FirstPointOfContactDto {
  @ApiProperty({ enum: V.CONTACT_PARTIES })
  @IsIn(V.CONTACT_PARTIES)
  party!: (typeof V.CONTACT_PARTIES)[number];
  @ApiProperty() @Matches(ORG_ID) organisationId!: string;
  @ApiPropertyOptional() @IsOptional() @Text(60) role?: string;
}

export class TermsDto {
  @ApiPropertyOptional({
    type: [ConditionDto],
    description: 'Absent when drafting: the conditions registered with the title',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  conditions?: ConditionDto[];
  @ApiProperty({ type: [TriggerDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => TriggerDto)
  notificationTriggers!: TriggerDto[];
  @ApiProperty({ type: [ContactFrequencyDto] })
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ContactFrequencyDto)
  contactFrequencies!: ContactFrequencyDto[];
  @ApiProperty({ type: DriegesprekDto })
  @ValidateNested()
  @Type(() => DriegesprekDto)
  driegesprek!: DriegesprekDto;
  @TextList()
  clientGoals!: string[];
  @TextList()
  probationGoals!: string[];
  @ApiProperty({ type: [LifeAreaOwnerDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => LifeAreaOwnerDto)
  lifeAreaOwners!: LifeAreaOwnerDto[];
  @ApiProperty({ type: FirstPointOfContactDto })
  @ValidateNested()
  @Type(() => FirstPointOfContactDto)
  firstPointOfContact!: FirstPointOfContactDto;
  @TextList()
  houseRules!: string[];
}

export class PartiesDto {
  @ApiProperty() @Matches(ORG_ID) probationOrganisationId!: string;
  @ApiProperty() @Matches(ORG_ID) providerOrganisationId!: string;
}

export class DraftAgreementDto {
  @ApiProperty({ type: PartiesDto }) @ValidateNested() @Type(() => PartiesDto) parties!: PartiesDto;
  @ApiProperty({ type: TermsDto }) @ValidateNested() @Type(() => TermsDto) terms!: TermsDto;
}

export class RecordTalkDto extends DraftAgreementDto {
  @ApiProperty({ format: 'date', description: 'The day the three-party talk was held' })
  @IsDate()
  heldOn!: string;
}

export class SignDto {
  @ApiProperty({ minimum: 1, description: 'The version you read and sign' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class RevisionDto {
  @ApiPropertyOptional({ minimum: 1, description: 'The revision you read (409 when it changed)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  revision?: number;
}

export class AmendDto {
  @ApiProperty({
    minimum: 1,
    description: 'The revision you read (optimistic locking: 409 when it changed)',
  })
  @IsInt()
  @Min(1)
  revision!: number;
  @ApiProperty({ type: TermsDto, description: 'The complete new terms (conditions required)' })
  @ValidateNested()
  @Type(() => TermsDto)
  terms!: TermsDto;
  @ApiPropertyOptional() @IsOptional() @Text(1000) reason?: string;
  @ApiPropertyOptional({
    format: 'date',
    description: 'Recorded talks: the day of the follow-up talk',
  })
  @IsOptional()
  @IsDate()
  heldOn?: string;
}

export class TerminateDto extends RevisionDto {
  @ApiProperty({ enum: V.TERMINATION_REASONS })
  @IsIn(V.TERMINATION_REASONS)
  reason!: (typeof V.TERMINATION_REASONS)[number];
  @ApiProperty({ format: 'date' }) @IsDate() on!: string;
  @ApiPropertyOptional() @IsOptional() @Text(2000) explanation?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') violationId?: string;
}

export class RaiseNotificationDto {
  @ApiProperty({ enum: V.NOTIFICATION_KINDS })
  @IsIn(V.NOTIFICATION_KINDS)
  kind!: (typeof V.NOTIFICATION_KINDS)[number];
  @ApiProperty({ enum: V.URGENCIES }) @IsIn(V.URGENCIES) urgency!: (typeof V.URGENCIES)[number];
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') conditionId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') triggerId?: string;
  @ApiProperty() @Text(2000) cause!: string;
  @ApiPropertyOptional({ description: 'What was agreed with the client (the joint plan)' })
  @IsOptional()
  @Text(2000)
  agreedWithClient?: string;
  @ApiProperty() @IsBoolean() clientInformed!: boolean;
}

export class AcknowledgeDto {
  @ApiPropertyOptional() @IsOptional() @Text(2000) response?: string;
}

export class ConsequenceDto {
  @ApiProperty({ enum: V.CONSEQUENCE_KINDS })
  @IsIn(V.CONSEQUENCE_KINDS)
  kind!: (typeof V.CONSEQUENCE_KINDS)[number];
  @ApiProperty({ enum: V.DECIDED_BY })
  @IsIn(V.DECIDED_BY)
  decidedBy!: (typeof V.DECIDED_BY)[number];
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsDate() from?: string;
  @ApiPropertyOptional({ format: 'date' }) @IsOptional() @IsDate() until?: string;
  @ApiPropertyOptional() @IsOptional() @Text(1000) description?: string;
}

export class RecordViolationDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID('4') conditionId!: string;
  @ApiProperty() @Text(2000) description!: string;
  @ApiProperty({ format: 'date' }) @IsDate() occurredOn!: string;
  @ApiProperty({ type: ConsequenceDto })
  @ValidateNested()
  @Type(() => ConsequenceDto)
  consequence!: ConsequenceDto;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('4') notificationId?: string;
}

export class RecordIncidentDto {
  @ApiProperty({ enum: V.INCIDENT_KINDS })
  @IsIn(V.INCIDENT_KINDS)
  kind!: (typeof V.INCIDENT_KINDS)[number];
  @ApiProperty({ format: 'date-time' }) @IsISO8601({ strict: true }) occurredAt!: string;
  @ApiProperty() @Text(2000) description!: string;
  @ApiPropertyOptional({
    description: 'Only for kind other: must it be reported to the inspectorate?',
  })
  @IsOptional()
  @IsBoolean()
  reportable?: boolean;
}

export class InspectorateReportDto {
  @ApiPropertyOptional() @IsOptional() @Text(200) reference?: string;
}
