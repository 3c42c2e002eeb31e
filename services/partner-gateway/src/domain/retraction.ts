import type { DataCategory } from '@ketenlink/contracts';
import type { ConsentRecord } from '@ketenlink/consent';
import { entitlementOf, type TrajectoryFacts } from '@ketenlink/disclosure';
import type { PartnerProfile } from './partner';
import { partnerReader } from './fan-out';

/**
 * After a withdrawal: the categories of the withdrawn record that the partner is no longer
 * entitled to at `at` on any other ground (a role default or another record). Empty: nothing to
 * purge, no retraction. Pure; `facts` already carry the withdrawal.
 */
export function categoriesToPurge(
  partner: PartnerProfile,
  withdrawn: Pick<ConsentRecord, 'categories'>,
  factsAfter: TrajectoryFacts,
  at: Date,
): DataCategory[] {
  const entitlement = entitlementOf(partnerReader(partner), factsAfter, at);
  return withdrawn.categories.filter((c) => c !== 'metadata' && !entitlement.permitted.has(c));
}
