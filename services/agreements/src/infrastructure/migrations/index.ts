import { AccessLog1764600000000 } from '@ketenlink/access-log';
import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Agreements1764600000100 } from './1764600000100-agreements';

export const AGREEMENTS_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  AccessLog1764600000000,
  Agreements1764600000100,
];
