import { OutboxHotLeases1764100000000 } from './outbox-hot-leases.migration';
import { OutboxInbox1763900000000 } from './outbox-inbox.migration';
import { OutboxLeases1764000000000 } from './outbox-leases.migration';

/**
 * Every migration the messaging library needs in a service's database (outbox, inbox, leases,
 * HOT leases), in order. A service lists `...MESSAGING_MIGRATIONS` first in its migrations
 * index, so a new messaging migration reaches every service at once.
 */
export const MESSAGING_MIGRATIONS = [
  OutboxInbox1763900000000,
  OutboxLeases1764000000000,
  OutboxHotLeases1764100000000,
] as const;
