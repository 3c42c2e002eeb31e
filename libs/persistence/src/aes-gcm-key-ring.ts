import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** A value sealed with AES-256-GCM under one key of a key ring. */
export interface Sealed {
  readonly keyId: string;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
  readonly authTag: Buffer;
}

/**
 * Secrets at rest (the trajectory's identity vault, the partner gateway's webhook secrets):
 * AES-256-GCM with a key ring from configuration, `<id>:<base64 of 32 bytes>[,<older id>:<base64>…]`.
 * The first key seals; every listed key opens, so a key is rotated by putting the new one first
 * and keeping the old one until its rows are sealed again. The additional data (e.g. the row's
 * owner id) binds a sealed value to its place. No key, no service: never stored in the clear.
 */
export class AesGcmKeyRing {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: string;

  /** `setting` names the configuration in errors (e.g. `IDENTITY_ENCRYPTION_KEYS`). */
  constructor(spec: string | undefined, setting: string, what = 'key') {
    if (!spec || spec.trim() === '') {
      throw new Error(`${setting} is not set: a ${what} is needed (deploy/local/README.md)`);
    }
    const keys = new Map<string, Buffer>();
    for (const part of spec.split(',')) {
      const [id, b64] = part.trim().split(':');
      if (!id || !KEY_ID.test(id) || !b64) {
        throw new Error(`${setting} must read <id>:<base64 key>[,<id>:<base64 key>]`);
      }
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`${what} ${id} is not 32 bytes (AES-256)`);
      if (keys.has(id)) throw new Error(`${what} ${id} is listed twice`);
      keys.set(id, key);
    }
    this.keys = keys;
    this.current = [...keys.keys()][0]!;
  }

  seal(additionalData: string, plain: Buffer): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(additionalData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { keyId: this.current, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  open(additionalData: string, sealed: Sealed): Buffer {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`key ${sealed.keyId} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
    decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(sealed.authTag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  }
}
