import { OutboxInbox1763900000000, OutboxLeases1764000000000 } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Agreements1764600000100 } from './1764600000100-agreements';

export const AGREEMENTS_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  Agreements1764600000100,
];
