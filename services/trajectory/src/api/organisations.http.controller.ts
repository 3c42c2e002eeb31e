import { MetadataOnly } from '@ketenlink/disclosure';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ketenlink/auth';
import { OrganisationRegistry } from '../application/organisation-registry.service';
import type { Organisation } from '../domain/organisations';
import { OrganisationEntryDto, RegisterOrganisationDto } from './organisations.dto';
import { READER_ROLES } from './roles';

function entry(id: string, body: OrganisationEntryDto): Organisation {
  return {
    id,
    kind: body.kind,
    name: body.name,
    identifiers: Object.fromEntries(
      Object.entries(body.identifiers ?? {}).filter(([, v]) => v !== undefined),
    ),
    activeFrom: body.activeFrom,
    ...(body.activeUntil ? { activeUntil: body.activeUntil } : {}),
  };
}

/**
 * The organisation registry (no client data): registry administrators register and change
 * entries; every organisation's staff may look them up.
 */
@ApiTags('organisations')
@ApiBearerAuth()
@Controller('organisations')
export class OrganisationsHttpController {
  constructor(private readonly registry: OrganisationRegistry) {}

  @MetadataOnly('the organisation registry: organisations, never client data')
  @Post()
  @HttpCode(201)
  @Roles('registry-admin')
  register(@Body() body: RegisterOrganisationDto): Promise<Organisation> {
    return this.registry.register(entry(body.id, body));
  }

  @MetadataOnly('the organisation registry: organisations, never client data')
  @Put(':organisationId')
  @Roles('registry-admin')
  change(
    @Param('organisationId') organisationId: string,
    @Body() body: OrganisationEntryDto,
  ): Promise<Organisation> {
    return this.registry.change(entry(organisationId, body));
  }

  @MetadataOnly('the organisation registry: organisations, never client data')
  @Get()
  @Roles('registry-admin', ...READER_ROLES)
  async list(): Promise<{ items: Organisation[] }> {
    return { items: await this.registry.list() };
  }

  @MetadataOnly('the organisation registry: organisations, never client data')
  @Get(':organisationId')
  @Roles('registry-admin', ...READER_ROLES)
  get(@Param('organisationId') organisationId: string): Promise<Organisation> {
    return this.registry.get(organisationId);
  }
}
