import { AccessLog1764600000000 } from '@ketenlink/access-log';
import { OutboxInbox1763900000000, OutboxLeases1764000000000 } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Handovers1764600000100 } from './1764600000100-handovers';

export const HANDOVER_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  AccessLog1764600000000,
  Handovers1764600000100,
];
