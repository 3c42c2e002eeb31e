import { OutboxInbox1763900000000, OutboxLeases1764000000000 } from '@ketenlink/messaging';
import { FactsStub1765000000050 } from './1765000000050-facts-stub';
import { Partners1765000000100 } from './1765000000100-partners';

export const PARTNER_GATEWAY_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  FactsStub1765000000050,
  Partners1765000000100,
];
