import { OutboxInbox1763900000000, OutboxLeases1764000000000 } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Partners1765000000100 } from './1765000000100-partners';

export const PARTNER_GATEWAY_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  Partners1765000000100,
];
