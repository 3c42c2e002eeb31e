import type { OpenerRole } from '../../domain/trajectory';

export interface OpenTrajectoryCommand {
  readonly organisationId: string;
  readonly subject: string;
  readonly role: OpenerRole;
  readonly region?: string;
}
