import { OutboxInbox1763900000000, OutboxLeases1764000000000 } from '@ketenlink/messaging';
import { Agreements1764600000100 } from './1764600000100-agreements';

export const AGREEMENTS_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  Agreements1764600000100,
];
