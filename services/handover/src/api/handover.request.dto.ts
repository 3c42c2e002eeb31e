import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import {
  DECLINE_REASONS,
  type DeclineReason,
  FOLLOW_ON_CARE,
  type FollowOnCare,
  HANDOVER_KINDS,
  type HandoverKind,
} from '../domain/handover';

const TEXT = /^[^<>]*$/;
const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /T.*(Z|[+-]\d{2}:\d{2})$/;

export class RequestHandoverDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('4')
  trajectoryId!: string;

  @ApiProperty({ enum: HANDOVER_KINDS })
  @IsIn(HANDOVER_KINDS)
  kind!: HandoverKind;

  @ApiPropertyOptional({ enum: FOLLOW_ON_CARE, description: 'Only for end-of-title-follow-on' })
  @IsOptional()
  @IsIn(FOLLOW_ON_CARE)
  followOnCare?: FollowOnCare;

  @ApiProperty({ description: 'The registered care provider asked to take the client over' })
  @IsString()
  @Matches(ORGANISATION_ID)
  receivingOrganisationId!: string;

  @ApiProperty({ description: 'Why the client is handed over' })
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  reason!: string;

  @ApiProperty({ format: 'date', description: 'When the receiver is planned to take over' })
  @IsString()
  @Matches(DATE)
  plannedDate!: string;
}

export class DeclineHandoverDto {
  @ApiProperty({ enum: DECLINE_REASONS })
  @IsIn(DECLINE_REASONS)
  reasonCode!: DeclineReason;

  @ApiPropertyOptional({ description: "Required for reason code 'other'" })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  reasonText?: string;
}

export class ScheduleMeetingDto {
  @ApiProperty({ format: 'date-time', description: 'The client is invited in person' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(INSTANT, { message: 'meetingAt needs a time and a UTC offset' })
  meetingAt!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(TEXT)
  location?: string;
}

export class MeetingHeldDto {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(INSTANT, { message: 'heldAt needs a time and a UTC offset' })
  heldAt!: string;

  @ApiProperty()
  @IsBoolean()
  clientPresent!: boolean;

  @ApiProperty()
  @IsBoolean()
  receiverPresent!: boolean;

  @ApiProperty()
  @IsBoolean()
  probationPresent!: boolean;
}

export class ClosingReportDto {
  @ApiProperty({ description: 'Risks the receiver must know' })
  @IsString()
  @Length(1, 4000)
  @Matches(TEXT)
  risks!: string;

  @ApiProperty({ description: 'What works with this client' })
  @IsString()
  @Length(1, 4000)
  @Matches(TEXT)
  whatWorks!: string;

  @ApiProperty({ description: 'Why the trajectory with the sender ends' })
  @IsString()
  @Length(1, 4000)
  @Matches(TEXT)
  whyEnded!: string;
}

export class CompleteHandoverDto {
  @ApiPropertyOptional({
    format: 'date',
    description: 'First day the receiver takes part (default today)',
  })
  @IsOptional()
  @IsString()
  @Matches(DATE)
  receiverJoinsOn?: string;

  @ApiProperty({
    format: 'date',
    description: 'The agreed leave date: last day the sender takes part',
  })
  @IsString()
  @Matches(DATE)
  senderLeavesOn!: string;
}

export class CancelHandoverDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  reason?: string;
}
