import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Public, Roles, type Principal } from '@ketenlink/auth';
import { DomainError } from '@ketenlink/contracts';
import { DisclosesClientData, MetadataOnly, staffReaderOf } from '@ketenlink/disclosure';
import { REPO_CONTRACTS_DIR } from '../infrastructure/contracts-dir';
import { PartnerCommandsService } from '../application/partner-commands.service';
import { PartnerQueriesService } from '../application/partner-queries.service';
import {
  AuditQueryDto,
  EventTypesDto,
  RegisterPartnerDto,
  ReplayDto,
  RotateSecretDto,
  TopicChannelDto,
  WebhookChannelDto,
} from './partners.dto';

const ADMIN = ['operator', 'registry-admin'] as const;

function replayFrom(body: ReplayDto): { eventId?: string; time?: Date } {
  if ((body.fromEventId === undefined) === (body.fromTime === undefined)) {
    throw new DomainError(
      'unprocessable',
      'replay-needs-one-start',
      'give fromEventId or fromTime',
    );
  }
  return body.fromEventId ? { eventId: body.fromEventId } : { time: new Date(body.fromTime!) };
}

/** Operators and registry administrators: partners, channels, status, dead letters. */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('partners')
export class PartnersHttpController {
  constructor(
    private readonly commands: PartnerCommandsService,
    private readonly queries: PartnerQueriesService,
  ) {}

  @MetadataOnly('partner registration: organisation ids and settings')
  @Post()
  @HttpCode(201)
  @Roles(...ADMIN)
  @ApiCreatedResponse({ description: 'Registered' })
  async register(@Body() b: RegisterPartnerDto, @CurrentPrincipal() p: Principal) {
    await this.commands.register(
      {
        organisationId: b.organisationId,
        audience: b.audience ?? 'organisation',
        ...(b.trajectoryId ? { trajectoryId: b.trajectoryId } : {}),
        fullPayloads: b.fullPayloads ?? false,
      },
      p.subject,
    );
    return { organisationId: b.organisationId };
  }

  @MetadataOnly('channel settings')
  @Post(':org/channels/topic')
  @HttpCode(201)
  @Roles(...ADMIN)
  @ApiCreatedResponse({ description: 'The partner topic and its SCRAM credentials (shown once)' })
  topic(@Param('org') org: string, @Body() b: TopicChannelDto) {
    return this.commands.addTopicChannel(org, b.eventTypes ?? []);
  }

  @MetadataOnly('new Kafka credentials of the partner topic user; shown once')
  @Post(':org/channels/topic/credentials')
  @HttpCode(201)
  @Roles(...ADMIN)
  @ApiCreatedResponse({ description: 'A new SCRAM password; the old one stops working' })
  credentials(@Param('org') org: string) {
    return this.commands.topicCredentials(org);
  }

  @MetadataOnly('channel settings; the secret is shown once')
  @Post(':org/channels/webhooks')
  @HttpCode(201)
  @Roles(...ADMIN)
  @ApiCreatedResponse({ description: 'The webhook and its first signing secret (shown once)' })
  webhook(@Param('org') org: string, @Body() b: WebhookChannelDto) {
    return this.commands.addWebhook(org, {
      url: b.url,
      eventTypes: b.eventTypes ?? [],
      ...(b.maxInFlight ? { maxInFlight: b.maxInFlight } : {}),
    });
  }

  @MetadataOnly('secret rotation; the new secret is shown once')
  @Post(':org/channels/webhooks/:id/secret')
  @HttpCode(201)
  @Roles(...ADMIN)
  @ApiCreatedResponse({ description: 'New secret; the old one signs until previousRetiresAt' })
  rotate(@Param('org') org: string, @Param('id') id: string, @Body() b: RotateSecretDto) {
    return this.commands.rotateSecret(org, id, b.overlapMs);
  }

  @MetadataOnly('subscriptions: event type names')
  @Put(':org/subscriptions')
  @HttpCode(204)
  @Roles(...ADMIN)
  @ApiNoContentResponse()
  async subscribe(@Param('org') org: string, @Body() b: EventTypesDto): Promise<void> {
    await this.commands.subscribe(org, b.eventTypes);
  }

  @MetadataOnly('delivery counters per partner, no client data')
  @Get('status')
  @Roles('operator')
  @ApiOkResponse({ description: 'Lag, failures, dead letters and last success per partner' })
  async status() {
    return { items: await this.queries.status() };
  }

  @MetadataOnly('dead-letter metadata only, never the body')
  @Get(':org/dead-letters')
  @Roles('operator')
  @ApiOkResponse()
  async deadLetters(@Param('org') org: string) {
    return { items: await this.queries.deadLetters(org) };
  }

  @MetadataOnly('puts a delivery back in its queue')
  @Post(':org/dead-letters/:id/replay')
  @HttpCode(204)
  @Roles('operator')
  @ApiNoContentResponse()
  async replayDead(@Param('org') org: string, @Param('id') id: string): Promise<void> {
    await this.commands.replayDeadLetter(org, id);
  }

  @MetadataOnly('queues a replay; what is sent is decided per event through the gate')
  @Post(':org/replays')
  @HttpCode(202)
  @Roles('operator')
  @ApiOkResponse()
  replayFor(@Param('org') org: string, @Body() b: ReplayDto) {
    return this.commands.replay(org, replayFrom(b));
  }
}

/** A partner's own system (role partner-system, acting for its organisation). */
@ApiTags('partner')
@ApiBearerAuth()
@Controller('partner')
export class PartnerHttpController {
  constructor(
    private readonly commands: PartnerCommandsService,
    private readonly queries: PartnerQueriesService,
  ) {}

  @DisclosesClientData()
  @Get('events/:id')
  @Roles('partner-system')
  @ApiOkResponse({ description: "The event's current details the partner may see now" })
  pullEvent(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.pullEvent(staffReaderOf(p), id);
  }

  @DisclosesClientData()
  @Get('trajectories/:id')
  @Roles('partner-system')
  @ApiOkResponse({ description: "The trajectory's events as the partner may see them now" })
  pullTrajectory(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.queries.pullTrajectory(staffReaderOf(p), id);
  }

  @MetadataOnly('queues a replay; what is sent is decided per event through the gate')
  @Post('replays')
  @HttpCode(202)
  @Roles('partner-system')
  @ApiOkResponse()
  replay(@Body() b: ReplayDto, @CurrentPrincipal() p: Principal) {
    return this.commands.replay(p.organisationId, replayFrom(b));
  }

  @MetadataOnly('retraction ids, consent ids and category names')
  @Get('retractions')
  @Roles('partner-system')
  @ApiOkResponse()
  async retractions(@CurrentPrincipal() p: Principal) {
    return { items: await this.queries.retractions(p.organisationId, false) };
  }

  @MetadataOnly('acknowledges a retraction')
  @Post('retractions/:id/acknowledgement')
  @HttpCode(201)
  @Roles('partner-system')
  @ApiCreatedResponse()
  acknowledge(@Param('id') id: string, @CurrentPrincipal() p: Principal) {
    return this.commands.acknowledge(p.organisationId, id);
  }

  @MetadataOnly('the AsyncAPI document: contracts, no client data')
  @Get('asyncapi.yaml')
  @Public()
  @Header('content-type', 'application/yaml; charset=utf-8')
  @ApiOkResponse({ description: 'AsyncAPI 3 document of the partner channels' })
  asyncApi(): string {
    return readFileSync(join(REPO_CONTRACTS_DIR, 'asyncapi.yaml'), 'utf8');
  }
}

/** Auditors: every delivery attempt and outcome; query and export. */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('disclosure-audit')
export class DisclosureAuditHttpController {
  constructor(private readonly queries: PartnerQueriesService) {}

  @MetadataOnly('audit rows: ids, category names and bases, never client data; auditors only')
  @Get()
  @Roles('auditor')
  @ApiOkResponse({ description: 'Audit rows in order; format=ndjson for an export' })
  async query(@Query() q: AuditQueryDto) {
    const items = await this.queries.audit({
      ...(q.organisationId ? { organisationId: q.organisationId } : {}),
      ...(q.trajectoryId ? { trajectoryId: q.trajectoryId } : {}),
      ...(q.eventId ? { eventId: q.eventId } : {}),
      ...(q.from ? { from: new Date(q.from) } : {}),
      ...(q.until ? { until: new Date(q.until) } : {}),
      limit: q.limit ?? 1000,
    });
    if (q.format === 'ndjson') return { export: items.map((i) => JSON.stringify(i)).join('\n') };
    return { items };
  }
}
