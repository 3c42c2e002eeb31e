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
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const ORG_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;
const TYPE = /^nl\.ketenlink\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;

export class RegisterPartnerDto {
  @ApiProperty({ example: 'reclassering-noord', description: 'An organisation of the registry' })
  @Matches(ORG_ID, { message: 'organisationId must be lower case letters, digits and hyphens' })
  organisationId!: string;

  @ApiPropertyOptional({ enum: ['organisation', 'relatives'], default: 'organisation' })
  @IsOptional()
  @IsIn(['organisation', 'relatives'])
  audience?: 'organisation' | 'relatives';

  @ApiPropertyOptional({ description: 'Relatives channel only: the one trajectory it serves' })
  @IsOptional()
  @IsUUID('4')
  trajectoryId?: string;

  @ApiPropertyOptional({ description: 'Opt in to full (still consent-filtered) payloads' })
  @IsOptional()
  @IsBoolean()
  fullPayloads?: boolean;
}

export class EventTypesDto {
  @ApiProperty({ type: [String], example: ['nl.ketenlink.title.registered.v1'] })
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(TYPE, {
    each: true,
    message: 'each event type must be nl.ketenlink.<context>.<event>.v<n>',
  })
  eventTypes!: string[];
}

export class TopicChannelDto {
  @ApiPropertyOptional({ type: [String], description: 'Empty: every type the partner receives' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(TYPE, { each: true })
  eventTypes?: string[];
}

export class WebhookChannelDto extends TopicChannelDto {
  @ApiProperty({ example: 'https://partner.example/ketenlink/webhook' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 64, default: 4 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(64)
  maxInFlight?: number;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    description: 'How long the old secret keeps signing (ms)',
    default: 86400000,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(30 * 24 * 3600 * 1000)
  overlapMs?: number;
}

export class ReplayDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Redeliver from this event (inclusive)' })
  @IsOptional()
  @IsUUID()
  fromEventId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Redeliver events from this time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  fromTime?: string;
}

export class AuditQueryDto {
  @IsOptional() @Matches(ORG_ID) organisationId?: string;
  @IsOptional() @IsUUID() trajectoryId?: string;
  @IsOptional() @IsUUID() eventId?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) until?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(10000) limit?: number;
  @IsOptional() @IsIn(['json', 'ndjson']) format?: 'json' | 'ndjson';
}
