import { MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { TRAJECTORY_FACTS_MIGRATIONS } from '@ketenlink/trajectory-facts';
import { Partners1765000000100 } from './1765000000100-partners';

export const PARTNER_GATEWAY_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ...TRAJECTORY_FACTS_MIGRATIONS,
  Partners1765000000100,
];
