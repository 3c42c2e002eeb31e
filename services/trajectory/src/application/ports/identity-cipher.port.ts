import type { ClientIdentity } from '../../domain/identity';

/** One encrypted identity as stored: AES-256-GCM, the trajectory id as additional data. */
export interface SealedIdentity {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

/**
 * Seals identities before they are stored and opens them for an entitled reader. Provided as
 * `IDENTITY_CIPHER`; implemented in infrastructure/identity-cipher.ts (AES-256-GCM, keys from
 * `IDENTITY_ENCRYPTION_KEYS`).
 */
export abstract class IdentityCipher {
  abstract seal(trajectoryId: string, identity: ClientIdentity): SealedIdentity;
  abstract open(trajectoryId: string, sealed: SealedIdentity): ClientIdentity;
}
