import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { LocationsService } from '../application/locations/locations.service';
import { MatchingService } from '../application/matching/matching.service';
import type { MatchingConfig } from '../domain/matching';
import { LocationProfileRequestDto } from './location.request.dto';
import { LocationResponseDto } from './location.response.dto';
import { MatchingConfigDto } from './matching.dto';

const uuid = new ParseUUIDPipe({ version: '4' });

/** A provider's placement officers manage their own organisation's locations and matching rules. */
@ApiTags('locations')
@ApiBearerAuth()
@Controller()
@Roles('placement-officer')
export class LocationsHttpController {
  constructor(
    private readonly locations: LocationsService,
    private readonly matching: MatchingService,
  ) {}

  @Post('locations')
  @HttpCode(201)
  @ApiCreatedResponse({ type: LocationResponseDto })
  async register(
    @Body() body: LocationProfileRequestDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<LocationResponseDto> {
    return LocationResponseDto.from(await this.locations.register(p.organisationId, body));
  }

  @Get('locations')
  @ApiOkResponse({ type: [LocationResponseDto] })
  async list(@CurrentPrincipal() p: Principal): Promise<LocationResponseDto[]> {
    return (await this.locations.list(p.organisationId)).map((v) => LocationResponseDto.from(v));
  }

  /** The location-level view: occupancy and residents, never a resident's title (R-LOCATION). */
  @Get('locations/:id')
  @ApiOkResponse({ type: LocationResponseDto })
  async get(
    @Param('id', uuid) id: string,
    @CurrentPrincipal() p: Principal,
  ): Promise<LocationResponseDto> {
    return LocationResponseDto.from(await this.locations.get(p.organisationId, id));
  }

  @Put('locations/:id')
  @ApiOkResponse({ type: LocationResponseDto })
  async update(
    @Param('id', uuid) id: string,
    @Body() body: LocationProfileRequestDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<LocationResponseDto> {
    return LocationResponseDto.from(await this.locations.update(p.organisationId, id, body));
  }

  @Get('matching-rules')
  @ApiOkResponse({ type: MatchingConfigDto })
  config(@CurrentPrincipal() p: Principal): Promise<MatchingConfig> {
    return this.matching.config(p.organisationId);
  }

  @Put('matching-rules')
  @ApiOkResponse({ type: MatchingConfigDto })
  saveConfig(
    @Body() body: MatchingConfigDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<MatchingConfig> {
    return this.matching.saveConfig(p.organisationId, body, p.subject);
  }
}
