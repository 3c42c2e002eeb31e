import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@ketenlink/auth';
import { ProblemException } from '@ketenlink/http';
import { GetTrajectoryService } from '../application/get-trajectory/get-trajectory.service';
import { OpenTrajectoryService } from '../application/open-trajectory/open-trajectory.service';
import { OpenTrajectoryRequestDto } from './open-trajectory.request.dto';
import { TrajectoryResponseDto } from './trajectory.response.dto';

@ApiTags('trajectories')
@ApiBearerAuth()
@Controller('trajectories')
export class TrajectoriesHttpController {
  constructor(
    private readonly openTrajectory: OpenTrajectoryService,
    private readonly getTrajectory: GetTrajectoryService,
  ) {}

  /** Opened by a referrer or a case coordinator, for their own organisation (the token's). */
  @Post()
  @HttpCode(201)
  @Roles('referrer', 'coordinator', 'zvh-coordinator')
  @ApiCreatedResponse({ type: TrajectoryResponseDto })
  async open(
    @Body() body: OpenTrajectoryRequestDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrajectoryResponseDto> {
    const t = await this.openTrajectory.execute({
      organisationId: principal.organisationId,
      subject: principal.subject,
      role: principal.roles.includes('referrer') ? 'referrer' : 'coordinator',
      ...(body.region ? { region: body.region } : {}),
    });
    return TrajectoryResponseDto.from(t);
  }

  @Get(':id')
  @Roles(
    'referrer',
    'coordinator',
    'zvh-coordinator',
    'support-worker',
    'placement-officer',
    'probation-officer',
  )
  @ApiOkResponse({ type: TrajectoryResponseDto })
  async get(
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<TrajectoryResponseDto> {
    const t = await this.getTrajectory.execute(id, principal.organisationId);
    if (!t) {
      throw new ProblemException(
        404,
        'trajectory-not-found',
        'Trajectory not found',
        'No trajectory with this id is visible to your organisation.',
      );
    }
    return TrajectoryResponseDto.from(t);
  }
}
