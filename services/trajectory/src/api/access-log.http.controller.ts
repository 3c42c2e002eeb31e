import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ketenlink/auth';
import { MetadataOnly } from '@ketenlink/disclosure';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { AccessLog, type AccessLogRow } from '../infrastructure/access-log';

export class AccessLogQueryDto {
  @IsOptional() @IsUUID('4') trajectoryId?: string;
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{0,100}$/) organisationId?: string;
  @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @IsOptional() @Matches(/^[0-9]{1,18}$/) after?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}

/** The access log, for auditors: who read which client data, when, on what legal basis. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('access-log')
export class AccessLogHttpController {
  constructor(private readonly log: AccessLog) {}

  @Get()
  @MetadataOnly(
    'audit rows: ids, roles, category names and bases, never client data; auditors only',
  )
  @Roles('auditor')
  @ApiOkResponse({ description: 'Entries in order; page with `after` = the last id' })
  async query(@Query() q: AccessLogQueryDto): Promise<{ items: AccessLogRow[] }> {
    const items = await this.log.query({
      ...(q.trajectoryId ? { trajectoryId: q.trajectoryId } : {}),
      ...(q.organisationId ? { organisationId: q.organisationId } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.to ? { to: new Date(q.to) } : {}),
      ...(q.after ? { after: q.after } : {}),
      limit: q.limit ?? 100,
    });
    return { items };
  }
}
