import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { KnownTrajectories1763900000200 } from './1763900000200-known-trajectories';
import { Placements1763900000300 } from './1763900000300-placements';
import { TrajectoryParticipants1763900000400 } from './1763900000400-trajectory-participants';
import { Disclosure1763900000600 } from './1763900000600-disclosure';
import { AdoptTrajectoryFacts1764600000000 } from './1764600000000-adopt-trajectory-facts';
import { PlacementWithdrawn1764600000100 } from './1764600000100-placement-withdrawn';

export const PLACEMENT_INTAKE_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  KnownTrajectories1763900000200,
  Placements1763900000300,
  TrajectoryParticipants1763900000400,
  Disclosure1763900000600,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  AdoptTrajectoryFacts1764600000000,
  PlacementWithdrawn1764600000100,
];
