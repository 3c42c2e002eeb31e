import { Column, Entity, PrimaryColumn, VersionColumn } from 'typeorm';

@Entity({ name: 'trajectories' })
export class TrajectoryRecord {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'opened_by_org', type: 'text' })
  openedByOrg!: string;

  @Column({ name: 'opened_by_role', type: 'text' })
  openedByRole!: 'referrer' | 'coordinator';

  @Column({ name: 'opened_by_subject', type: 'text' })
  openedBySubject!: string;

  @Column({ type: 'text', nullable: true })
  region!: string | null;

  @VersionColumn()
  version!: number;
}
