import {
  OutboxHotLeases1764100000000,
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
} from '@ketenlink/messaging';
import { KnownTrajectories1763900000200 } from './1763900000200-known-trajectories';
import { Placements1763900000300 } from './1763900000300-placements';
import { TrajectoryParticipants1763900000400 } from './1763900000400-trajectory-participants';
import { Disclosure1763900000600 } from './1763900000600-disclosure';

export const PLACEMENT_INTAKE_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  OutboxHotLeases1764100000000,
  KnownTrajectories1763900000200,
  Placements1763900000300,
  TrajectoryParticipants1763900000400,
  Disclosure1763900000600,
];
