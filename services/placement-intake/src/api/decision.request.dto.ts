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
import { REFUSAL_REASONS, type RefusalReason } from '../domain/vocabulary';

const TEXT = /^[^<>]*$/;

export class AcceptRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A location of your organisation with a free place' })
  @IsUUID('4')
  locationId!: string;
}

export class RefuseRequestDto {
  @ApiProperty({ enum: REFUSAL_REASONS, description: 'R-REFUSAL reason code' })
  @IsIn(REFUSAL_REASONS)
  reasonCode!: RefusalReason;

  @ApiPropertyOptional({ description: "Required for reason code 'other'" })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  reasonText?: string;
}

export class WithdrawRequestDto {
  @ApiPropertyOptional({ description: 'Why the referrer withdraws the request' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  reasonText?: string;
}

export class WaitlistRequestDto {
  @ApiProperty({ description: 'Whether ambulant support bridges the wait' })
  @IsBoolean()
  bridgingAmbulant!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  bridgingNote?: string;
}

export class ScheduleIntakeRequestDto {
  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/T.*(Z|[+-]\d{2}:\d{2})$/, { message: 'scheduledFor needs a time and a UTC offset' })
  scheduledFor!: string;
}

export class FirstContactRequestDto {
  @ApiProperty({ format: 'date-time', description: 'When the provider first met the client' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/T.*(Z|[+-]\d{2}:\d{2})$/, { message: 'at needs a time and a UTC offset' })
  at!: string;
}

export class CrucialInformationRequestDto {
  @ApiProperty({
    description: "Current medication ('none' when none)",
    example: 'methadone 40 mg daily',
  })
  @IsString()
  @Length(1, 2000)
  @Matches(TEXT)
  medication!: string;

  @ApiPropertyOptional({
    description: 'Other crucial information (allergies, contacts in crisis …)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 4000)
  @Matches(TEXT)
  notes?: string;
}

export class MoveInRequestDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Defaults to now' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/T.*(Z|[+-]\d{2}:\d{2})$/, { message: 'movedInAt needs a time and a UTC offset' })
  movedInAt?: string;
}
