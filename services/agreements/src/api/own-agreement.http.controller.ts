import { Body, Controller, ForbiddenException, Get, HttpCode, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@ketenlink/auth';
import { DisclosesClientData, readerOf } from '@ketenlink/disclosure';
import { AgreementCommands } from '../application/agreement-commands.service';
import { AgreementQueries } from '../application/agreement-queries.service';
import { sign } from '../domain/agreement';
import { NotFoundError } from '../domain/errors';
import { AgreementStore } from '../application/ports/agreement.store.port';
import { SignDto } from './agreement.request.dto';
import { ownAgreementProjection } from './projections';

function ownTrajectory(principal: Principal): string {
  if (principal.kind !== 'client' || !principal.trajectoryId) {
    throw new ForbiddenException('This view is for client tokens');
  }
  return principal.trajectoryId;
}

/**
 * The client's own view of his agreement (client token, `kind: client`), in plain language
 * through the gate and the access log; he signs it here. Other tokens get 403.
 */
@ApiTags('own view')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'Not a client token' })
@Controller('me/agreement')
export class OwnAgreementHttpController {
  constructor(
    private readonly queries: AgreementQueries,
    private readonly commands: AgreementCommands,
    private readonly agreements: AgreementStore,
  ) {}

  @Get()
  @DisclosesClientData()
  @ApiOkResponse({ description: 'Your agreement in plain language' })
  view(@CurrentPrincipal() principal: Principal) {
    return this.queries.own(ownTrajectory(principal), readerOf(principal), ownAgreementProjection);
  }

  @Post('signature')
  @DisclosesClientData()
  @HttpCode(201)
  @ApiCreatedResponse({ description: 'Your agreement in plain language, with your signature' })
  @ApiConflictResponse({ description: 'An outdated version, or signed already' })
  async sign(@Body() b: SignDto, @CurrentPrincipal() principal: Principal) {
    const trajectoryId = ownTrajectory(principal);
    const open = await this.agreements.openOf(trajectoryId);
    if (!open) throw new NotFoundError('agreement');
    const a = await this.commands.run(
      open.id,
      { kind: 'client' },
      (x) => sign(x, b.version, { kind: 'client' }, new Date()),
      {
        clientTrajectoryId: trajectoryId,
      },
    );
    return this.queries.discloseAgreement(
      a,
      readerOf(principal),
      'own-agreement',
      ownAgreementProjection,
    );
  }
}
