import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { Trajectories1763900000100 } from './1763900000100-trajectories';
import { TrajectoryState1763900000300 } from './1763900000300-trajectory-state';
import { AccessLogReaders1763900000500 } from './1763900000500-access-log-readers';
import { AuthorityOverInputs1763900007000 } from './1763900007000-authority-over-inputs';
import { PlatformOrganisationAnnounced1765200000000 } from './1765200000000-platform-organisation-announced';

/** Every migration of the trajectory database, in order. */
export const TRAJECTORY_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  Trajectories1763900000100,
  TrajectoryState1763900000300,
  AccessLogReaders1763900000500,
  AuthorityOverInputs1763900007000,
  PlatformOrganisationAnnounced1765200000000,
];
