import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { IdentityCipher, type SealedIdentity } from '../application/ports/identity-cipher.port';
import type { ClientIdentity } from '../domain/identity';

export type { SealedIdentity };

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Encrypts identities at rest with a key from configuration:
 * `IDENTITY_ENCRYPTION_KEYS=<id>:<base64 of 32 bytes>[,<older id>:<base64>...]`. The first key
 * encrypts; every listed key decrypts, so a key is rotated by putting the new one first and
 * keeping the old one until its rows are re-encrypted. No key, no service: identities are
 * never stored in the clear.
 */
export class AesGcmIdentityCipher extends IdentityCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: string;

  constructor(spec: string | undefined) {
    super();
    if (!spec || spec.trim() === '') {
      throw new Error(
        'IDENTITY_ENCRYPTION_KEYS is not set: the identity vault needs a key (deploy/local/README.md)',
      );
    }
    const keys = new Map<string, Buffer>();
    for (const part of spec.split(',')) {
      const [id, b64] = part.trim().split(':');
      if (!id || !KEY_ID.test(id) || !b64) {
        throw new Error('IDENTITY_ENCRYPTION_KEYS must read <id>:<base64 key>[,<id>:<base64 key>]');
      }
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`identity key ${id} is not 32 bytes (AES-256)`);
      if (keys.has(id)) throw new Error(`identity key ${id} is listed twice`);
      keys.set(id, key);
    }
    this.keys = keys;
    this.current = [...keys.keys()][0]!;
  }

  seal(trajectoryId: string, identity: ClientIdentity): SealedIdentity {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(trajectoryId, 'utf8'));
    const plain = Buffer.from(
      JSON.stringify({ bsn: identity.bsn, name: identity.name, dateOfBirth: identity.dateOfBirth }),
      'utf8',
    );
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { keyId: this.current, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  open(trajectoryId: string, sealed: SealedIdentity): ClientIdentity {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`identity key ${sealed.keyId} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(trajectoryId, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    const plain = Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as ClientIdentity;
  }
}
