import { AesGcmKeyRing } from '@ketenlink/persistence';
import { IdentityCipher, type SealedIdentity } from '../application/ports/identity-cipher.port';
import type { ClientIdentity } from '../domain/identity';

export type { SealedIdentity };

/**
 * Encrypts identities at rest with a key from configuration:
 * `IDENTITY_ENCRYPTION_KEYS=<id>:<base64 of 32 bytes>[,<older id>:<base64>...]`. The first key
 * encrypts; every listed key decrypts, so a key is rotated by putting the new one first and
 * keeping the old one until its rows are re-encrypted. No key, no service: identities are
 * never stored in the clear. (libs/persistence AesGcmKeyRing; the trajectory id is the AAD.)
 */
export class AesGcmIdentityCipher extends IdentityCipher {
  private readonly ring: AesGcmKeyRing;

  constructor(spec: string | undefined) {
    super();
    this.ring = new AesGcmKeyRing(spec, 'IDENTITY_ENCRYPTION_KEYS', 'identity key');
  }

  seal(trajectoryId: string, identity: ClientIdentity): SealedIdentity {
    const plain = Buffer.from(
      JSON.stringify({ bsn: identity.bsn, name: identity.name, dateOfBirth: identity.dateOfBirth }),
      'utf8',
    );
    return this.ring.seal(trajectoryId, plain);
  }

  open(trajectoryId: string, sealed: SealedIdentity): ClientIdentity {
    return JSON.parse(this.ring.open(trajectoryId, sealed).toString('utf8')) as ClientIdentity;
  }
}
