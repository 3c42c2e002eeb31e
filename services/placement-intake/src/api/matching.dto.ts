import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import type { MatchResult } from '../domain/matching';
import { RULE_KINDS, type RuleKind } from '../domain/matching';
import {
  FORENSIC_MIXES,
  OFFENCE_CATEGORIES,
  REFUSAL_REASONS,
  type ForensicMix,
  type OffenceCategory,
} from '../domain/vocabulary';

export class MatchingRuleDto {
  @ApiProperty({ enum: RULE_KINDS })
  @IsIn(RULE_KINDS)
  kind!: RuleKind;

  @ApiProperty({ enum: ['exclude', 'score'] })
  @IsIn(['exclude', 'score'])
  effect!: 'exclude' | 'score';

  @ApiProperty({ description: 'Points per match for effect score (negative = penalty)' })
  @IsInt()
  @Min(-1000)
  @Max(1000)
  points!: number;

  @ApiPropertyOptional({
    enum: OFFENCE_CATEGORIES,
    isArray: true,
    description: 'forensic-mix only',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(OFFENCE_CATEGORIES, { each: true })
  offenceCategories?: OffenceCategory[];

  @ApiPropertyOptional({ enum: FORENSIC_MIXES, description: 'forensic-mix only' })
  @IsOptional()
  @IsIn(FORENSIC_MIXES)
  forensicMix?: ForensicMix;
}

/** A provider's matching rules: data, replaced as a whole. */
export class MatchingConfigDto {
  @ApiProperty({
    minimum: 0,
    maximum: 120,
    description: 'R-REFUSAL: fewer months left is title-too-short',
  })
  @IsInt()
  @Min(0)
  @Max(120)
  minRemainingTitleMonths!: number;

  @ApiProperty({ type: [MatchingRuleDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MatchingRuleDto)
  rules!: MatchingRuleDto[];
}

class CandidateDto {
  @ApiProperty({ format: 'uuid' }) locationId!: string;
  @ApiProperty() label!: string;
  @ApiProperty() freePlaces!: number;
  @ApiProperty() eligible!: boolean;
  @ApiProperty() score!: number;
  @ApiPropertyOptional({ enum: REFUSAL_REASONS }) suggestedRefusalReason?: string;
  @ApiProperty({ type: [String], description: 'One line per rule' }) explanation!: string[];
}

export class MatchResultDto {
  @ApiProperty() titleTooShort!: boolean;
  @ApiProperty({ type: [String] }) explanation!: string[];
  @ApiProperty({ type: [CandidateDto] }) candidates!: CandidateDto[];

  static from(r: MatchResult): MatchResultDto {
    return {
      titleTooShort: r.titleTooShort,
      explanation: r.explanation,
      candidates: r.candidates.map((c) => ({ ...c })),
    };
  }
}
