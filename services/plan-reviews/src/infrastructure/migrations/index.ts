import { AccessLog1764600000000 } from '@ketenlink/access-log';
import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Schedules1764100000100 } from './1764100000100-schedules';
import { Records1764100000200 } from './1764100000200-records';
import { ProgressNotes1764100000300 } from './1764100000300-progress-notes';

export const PLAN_REVIEWS_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  AccessLog1764600000000,
  Schedules1764100000100,
  Records1764100000200,
  ProgressNotes1764100000300,
];
