import type { DataCategory } from '@ketenlink/contracts';

/**
 * One read of client data, disclosed or refused (ARCHITECTURE §4): who, which trajectory, what
 * categories on which basis each, the event ids a timeline read disclosed, when. Ids, roles and
 * category names only: never client data itself.
 */
export interface AccessRecord {
  readonly readerKind: 'staff' | 'client' | 'relative';
  readonly subject: string;
  /** Absent for the client and relatives. */
  readonly organisationId?: string;
  readonly roles: readonly string[];
  readonly trajectoryId: string;
  /** What was read, e.g. `timeline`, `placement`, `placement-candidates`. */
  readonly resource: string;
  readonly outcome: 'disclosed' | 'denied';
  readonly categories: readonly DataCategory[];
  /** Category → `basis (rule [record id])`. */
  readonly legalBases: Readonly<Record<string, string>>;
  /** The events a timeline read disclosed. */
  readonly eventIds?: readonly string[];
  readonly reason?: string;
  readonly at: Date;
}

/**
 * Each service's own append-only access log. Written before the data is returned: when it
 * cannot be written, the read fails and nothing is disclosed.
 */
export interface AccessLogPort {
  record(entry: AccessRecord): Promise<void>;
}

/** Nest injection token for a service's AccessLogPort implementation. */
export const ACCESS_LOG_PORT = Symbol('ACCESS_LOG_PORT');
