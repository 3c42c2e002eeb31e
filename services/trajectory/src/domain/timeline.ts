import type { CategoryPredicate, DataCategory, FilterResult } from '@ketenlink/contracts';
import type { Recipient } from '@ketenlink/consent';

/** One domain event of a trajectory, as projected from Kafka. */
export interface TimelineEntry {
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
}

/** What a caller sees of one entry. */
export interface TimelineItem {
  readonly eventId: string;
  readonly type: string;
  readonly source: string;
  readonly time: string;
  readonly data: unknown;
  /** Field paths present in the event that the caller may not receive. */
  readonly withheld: readonly string[];
  /** Categories of the fields shown. */
  readonly categories: readonly DataCategory[];
}

/** The schema-driven field filter (contracts' filterPayload), passed in to keep this pure. */
export type PayloadFilter = (
  type: string,
  data: unknown,
  permitted: CategoryPredicate,
) => FilterResult;

/**
 * The timeline as one recipient may see it: every field of every event filtered by the
 * categories the policy permits (the schema tags each field). An event of which the recipient
 * may see nothing but metadata is left out entirely, so that even its type (e.g. that an
 * incident was reported) stays hidden; operators, whom the policy gives metadata only, see
 * every entry as metadata (type, time, ids) to run the platform.
 */
export function timelineFor(
  entries: readonly TimelineEntry[],
  recipient: Recipient,
  permitted: ReadonlySet<DataCategory>,
  filter: PayloadFilter,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const entry of entries) {
    const used = new Set<DataCategory>();
    const { data, withheld } = filter(entry.type, entry.data, (c) => {
      if (!permitted.has(c)) return false;
      used.add(c);
      return true;
    });
    const substantive = [...used].some((c) => c !== 'metadata');
    if (!substantive && recipient.kind !== 'operator') continue;
    items.push({
      eventId: entry.eventId,
      type: entry.type,
      source: entry.source,
      time: entry.time,
      data,
      withheld,
      categories: [...used].sort(),
    });
  }
  return items;
}
