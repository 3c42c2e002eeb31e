import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

export class OpenTrajectoryRequestDto {
  @ApiPropertyOptional({
    description: 'Region (e.g. a safety-house region) the trajectory starts in',
    example: 'Rotterdam-Rijnmond',
  })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  @Matches(/^[\p{L}0-9 .'-]+$/u, {
    message: "region may hold letters, digits, spaces and . ' - only",
  })
  region?: string;
}
