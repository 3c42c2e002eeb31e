import type { OrganisationDirectory } from '@ketenlink/auth';
import type { SqlExecutor } from '@ketenlink/messaging';
import type { Organisation } from '../../domain/organisations';

/**
 * The organisation registry (kept by registry administrators), and the OrganisationDirectory the
 * edge asks whether a token's organisation is registered and active. Implemented with plain SQL
 * in infrastructure/organisation.store.ts (docs/adr/0014-persistence-style.md).
 */
export abstract class OrganisationStore implements OrganisationDirectory {
  abstract find(id: string, tx?: SqlExecutor): Promise<Organisation | undefined>;
  /** Several at once, for a command that checks the actor and a target. */
  abstract findMany(ids: readonly string[], tx?: SqlExecutor): Promise<Map<string, Organisation>>;
  abstract list(): Promise<Organisation[]>;
  /** Inserts; false when the id is taken. */
  abstract insert(tx: SqlExecutor, org: Organisation): Promise<boolean>;
  abstract update(tx: SqlExecutor, org: Organisation): Promise<void>;
  /** Registered and active on the Europe/Amsterdam date of `at`. */
  abstract isActive(organisationId: string, at: Date): Promise<boolean>;
}
