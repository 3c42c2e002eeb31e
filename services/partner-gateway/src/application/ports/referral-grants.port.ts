import type { Referral } from '@ketenlink/disclosure';
import type { SqlExecutor } from '@ketenlink/messaging';
import type { ReferralChange } from '../../domain/referral-grants';

/**
 * The referral grants projected from the placement events (ADR 0042), in the gateway's own table
 * (infrastructure/referral-grants.store.ts). Each change is written in the inbox transaction of
 * its event and is safe to repeat.
 */
export abstract class ReferralGrantStore {
  abstract apply(tx: SqlExecutor, change: ReferralChange): Promise<void>;
  /** The referrals of the trajectory with their explicit ends (withdrawal, refusal). */
  abstract referralsOf(trajectoryId: string, tx?: SqlExecutor): Promise<Referral[]>;
}
