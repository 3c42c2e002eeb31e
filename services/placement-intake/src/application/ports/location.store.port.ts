import type { SqlExecutor } from '@ketenlink/messaging';
import type { Location } from '../../domain/location';
import type { MatchingConfig } from '../../domain/matching';

/**
 * Location profiles and each provider's matching rules (docs/adr/0014-persistence-style.md).
 * Implemented with plain SQL in infrastructure/location.store.ts.
 */
export abstract class LocationStore {
  abstract insert(tx: SqlExecutor, l: Location, now: Date): Promise<void>;
  abstract update(tx: SqlExecutor, l: Location, now: Date): Promise<void>;
  /** Row-locked read inside a command's transaction. */
  abstract findForUpdate(tx: SqlExecutor, id: string): Promise<Location | undefined>;
  abstract findById(id: string): Promise<Location | undefined>;
  /** A provider's locations by label; on `tx` when given. */
  abstract listOf(providerOrganisationId: string, tx?: SqlExecutor): Promise<Location[]>;
  /** The provider's rules, or the defaults when it has none. */
  abstract matchingConfigOf(providerOrganisationId: string): Promise<MatchingConfig>;
  abstract saveMatchingConfig(
    providerOrganisationId: string,
    config: MatchingConfig,
    subject: string,
    now: Date,
  ): Promise<void>;
}
