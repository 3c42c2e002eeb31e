import { OutboxInbox1763900000000 } from '@ketenlink/messaging';
import { KnownTrajectories1763900000200 } from './1763900000200-known-trajectories';

export const PLACEMENT_INTAKE_MIGRATIONS = [
  OutboxInbox1763900000000,
  KnownTrajectories1763900000200,
];
