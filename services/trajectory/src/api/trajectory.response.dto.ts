import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Trajectory } from '../domain/trajectory';

class OpenedByDto {
  @ApiProperty() organisationId!: string;
  @ApiProperty({ enum: ['referrer', 'coordinator'] }) role!: string;
}

export class TrajectoryResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Pseudonymous trajectory id: the only id that leaves this service',
  })
  id!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiProperty({ type: OpenedByDto }) openedBy!: OpenedByDto;
  @ApiPropertyOptional() region?: string;

  static from(t: Trajectory): TrajectoryResponseDto {
    return {
      id: t.id,
      openedAt: t.openedAt.toISOString(),
      openedBy: { organisationId: t.openedBy.organisationId, role: t.openedBy.role },
      ...(t.region ? { region: t.region } : {}),
    };
  }
}
