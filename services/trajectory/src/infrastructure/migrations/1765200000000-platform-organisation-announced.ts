import { EventEmitter } from '@ketenlink/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { type Organisation, organisationPayload } from '../../domain/organisations';

/**
 * The platform organisation `ketenlink` came into the registry with AuthorityOverInputs
 * (its bootstrap row, so that registry administrators can register everyone else) but without
 * its `organisation.registered`, so no other service's projection (libs/trajectory-facts) knew
 * it. This migration appends that event to the outbox, as the registry does for every other
 * entry (OrganisationRegistry.register: same payload, subject = organisation id, contract-checked
 * by the EventEmitter). A migration runs once per database, in its own transaction with its row
 * in `migrations`: the event is emitted exactly once; the relay publishes it when the service
 * starts. The row as it is now (a registry administrator may have changed it): the projections
 * keep the newest event per organisation.
 */
export class PlatformOrganisationAnnounced1765200000000 implements MigrationInterface {
  name = 'PlatformOrganisationAnnounced1765200000000';

  async up(q: QueryRunner): Promise<void> {
    const [row] = (await q.query(
      `SELECT id, kind, name, identifiers, active_from::text AS active_from,
              active_until::text AS active_until
         FROM organisations WHERE id = 'ketenlink'`,
    )) as Record<string, unknown>[];
    if (!row) return; // removed from the registry by hand: nothing to announce
    const platform: Organisation = {
      id: String(row.id),
      kind: row.kind as Organisation['kind'],
      name: String(row.name),
      identifiers: (row.identifiers ?? {}) as Organisation['identifiers'],
      activeFrom: String(row.active_from),
      ...(row.active_until ? { activeUntil: String(row.active_until) } : {}),
    };
    // The trajectory service's source and aggregate type (app.module.ts MessagingModule).
    await new EventEmitter('trajectory', 'trajectory').emit(q, [
      {
        type: 'nl.ketenlink.organisation.registered.v1',
        subject: platform.id,
        data: organisationPayload(platform),
      },
    ]);
  }

  async down(): Promise<void> {
    // An event once in the outbox (or on Kafka) is not taken back.
  }
}
