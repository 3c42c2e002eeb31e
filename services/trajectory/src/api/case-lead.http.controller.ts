import { MetadataOnly } from '@ketenlink/disclosure';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { TrajectoryCommands } from '../application/trajectory-commands.service';
import { TransferCaseLeadDto } from './case-records.dto';
import { CASE_MANAGER_ROLES } from './roles';
import { UUID } from './trajectories.http.controller';

/** The case lead (regiehouder) hands the trajectory's lead to another participant. */
@ApiTags('trajectories')
@ApiBearerAuth()
@Controller('trajectories/:id/case-lead')
export class CaseLeadHttpController {
  constructor(private readonly commands: TrajectoryCommands) {}

  @MetadataOnly('answers event types only')
  @Post()
  @HttpCode(200)
  @Roles(...CASE_MANAGER_ROLES)
  async transfer(
    @Param('id', UUID) id: string,
    @Body() body: TransferCaseLeadDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    const result = await this.commands.run(id, principal, {
      type: 'transfer-case-lead',
      organisationId: body.organisationId,
    });
    return { events: result.events.map((e) => e.type) };
  }
}
