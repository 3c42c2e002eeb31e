import type { SqlExecutor } from '@ketenlink/messaging';
import type { Agreement } from '../../domain/agreement';
import type { Incident, Notification, Violation } from '../../domain/records';

/**
 * Agreements in this service's database (docs/adr/0014-persistence-style.md), plain SQL in
 * infrastructure/agreement.store.ts. Optimistic locking: `update` writes only when the row still
 * has `expectedRevision` and throws ConcurrentChangeError (409) otherwise.
 */
export abstract class AgreementStore {
  abstract insert(tx: SqlExecutor, a: Agreement): Promise<void>;
  abstract update(tx: SqlExecutor, a: Agreement, expectedRevision: number): Promise<void>;
  abstract findById(id: string, tx?: SqlExecutor): Promise<Agreement | undefined>;
  /** The trajectory's agreements, newest first. */
  abstract listByTrajectory(trajectoryId: string, tx?: SqlExecutor): Promise<Agreement[]>;
  /** The trajectory's open (not terminated) agreement, if any. */
  abstract openOf(trajectoryId: string, tx?: SqlExecutor): Promise<Agreement | undefined>;
}

/** Notifications, violations and incidents; the sweep's reads lock with SKIP LOCKED. */
export abstract class RecordStore {
  abstract insertNotification(tx: SqlExecutor, n: Notification): Promise<void>;
  abstract updateNotification(tx: SqlExecutor, n: Notification): Promise<void>;
  abstract findNotification(
    id: string,
    tx?: SqlExecutor,
    forUpdate?: boolean,
  ): Promise<Notification | undefined>;
  abstract notificationsOf(trajectoryId: string): Promise<Notification[]>;
  /** Urgent, unacknowledged, unreported and due at `now`: locked, skipping rows others hold. */
  abstract lockOverdueNotifications(
    tx: SqlExecutor,
    now: Date,
    limit: number,
  ): Promise<Notification[]>;

  abstract insertViolation(tx: SqlExecutor, v: Violation): Promise<void>;
  abstract violationsOf(trajectoryId: string): Promise<Violation[]>;

  abstract insertIncident(tx: SqlExecutor, i: Incident): Promise<void>;
  abstract updateIncident(tx: SqlExecutor, i: Incident): Promise<void>;
  abstract findIncident(
    id: string,
    tx?: SqlExecutor,
    forUpdate?: boolean,
  ): Promise<Incident | undefined>;
  abstract incidentsOf(trajectoryId: string): Promise<Incident[]>;
  /** Reportable, unreported, unflagged and past the deadline at `now`: locked, SKIP LOCKED. */
  abstract lockOverdueIncidents(tx: SqlExecutor, now: Date, limit: number): Promise<Incident[]>;
}
