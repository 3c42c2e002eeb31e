import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

@Entity({ name: 'locations' })
export class LocationRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'provider_org', type: 'text' }) providerOrg!: string;
  @Column({ type: 'text' }) label!: string;
  @Column({ name: 'forensic_mix', type: 'text' }) forensicMix!: string;
  @Column({ name: 'substance_policy', type: 'text' }) substancePolicy!: string;
  @Column({ type: 'text', array: true }) expertise!: string[];
  @Column({ type: 'integer' }) capacity!: number;
  @Column({ type: 'integer' }) occupancy!: number;
  @Column({ name: 'excluded_offence_categories', type: 'text', array: true })
  excludedOffenceCategories!: string[];
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @VersionColumn() version!: number;
}

@Entity({ name: 'matching_rule_configs' })
export class MatchingRuleConfigRecord {
  @PrimaryColumn({ name: 'provider_org', type: 'text' }) providerOrg!: string;
  @Column({ type: 'jsonb' }) config!: unknown;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'updated_by', type: 'text' }) updatedBy!: string;
}

@Entity({ name: 'placements' })
export class PlacementRecord {
  @PrimaryColumn('uuid') id!: string;
  @Column({ name: 'trajectory_id', type: 'uuid' }) trajectoryId!: string;
  @Column({ name: 'provider_org', type: 'text' }) providerOrg!: string;
  @Column({ name: 'referrer_org', type: 'text' }) referrerOrg!: string;
  @Column({ name: 'referrer_kind', type: 'text' }) referrerKind!: string;
  @Column({ type: 'jsonb' }) request!: Record<string, unknown>;
  @Column({ type: 'jsonb' }) documents!: Record<string, unknown>[];
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'requested_at', type: 'timestamptz' }) requestedAt!: Date;
  @Column({ name: 'answer_due_on', type: 'date' }) answerDueOn!: string;
  @Column({ name: 'documents_completed_at', type: 'timestamptz', nullable: true })
  documentsCompletedAt!: Date | null;
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true }) decidedAt!: Date | null;
  @Column({ name: 'location_id', type: 'uuid', nullable: true }) locationId!: string | null;
  @Column({ type: 'jsonb', nullable: true }) refusal!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) waitlist!: Record<string, unknown> | null;
  @Column({ name: 'intake_scheduled_for', type: 'timestamptz', nullable: true })
  intakeScheduledFor!: Date | null;
  @Column({ name: 'moved_in_at', type: 'timestamptz', nullable: true }) movedInAt!: Date | null;
  @Column({ name: 'first_contact_at', type: 'timestamptz', nullable: true })
  firstContactAt!: Date | null;
  @Column({ name: 'crucial_information', type: 'jsonb', nullable: true })
  crucialInformation!: Record<string, unknown> | null;
  @Column({ name: 'answer_overdue_notified_at', type: 'timestamptz', nullable: true })
  answerOverdueNotifiedAt!: Date | null;
  @Column({ name: 'crucial_info_overdue_notified_at', type: 'timestamptz', nullable: true })
  crucialInfoOverdueNotifiedAt!: Date | null;
  @VersionColumn() version!: number;
}

export const PLACEMENT_INTAKE_ENTITIES = [
  LocationRecord,
  MatchingRuleConfigRecord,
  PlacementRecord,
];
