import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Webhook signing secrets, encrypted at rest with AES-256-GCM under a key ring from
 * configuration, as the trajectory service's identity vault does (services/trajectory
 * identity-cipher.ts): `PARTNER_SECRET_KEYS=<id>:<base64 32 bytes>[,<older id>:<base64>]`; the
 * first key encrypts, every listed key decrypts. The channel id is the additional data, so a
 * sealed secret cannot be moved to another channel.
 */
export class SecretCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;
  private readonly current: string;

  constructor(spec: string | undefined) {
    if (!spec || spec.trim() === '') {
      throw new Error('PARTNER_SECRET_KEYS is not set: webhook secrets are never stored in clear');
    }
    const keys = new Map<string, Buffer>();
    for (const part of spec.split(',')) {
      const [id, b64] = part.trim().split(':');
      if (!id || !KEY_ID.test(id) || !b64) {
        throw new Error('PARTNER_SECRET_KEYS must read <id>:<base64 key>[,<id>:<base64 key>]');
      }
      const key = Buffer.from(b64, 'base64');
      if (key.length !== 32) throw new Error(`secret key ${id} is not 32 bytes (AES-256)`);
      keys.set(id, key);
    }
    this.keys = keys;
    this.current = [...keys.keys()][0]!;
  }

  seal(channelId: string, secret: string) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.current)!, iv);
    cipher.setAAD(Buffer.from(channelId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { keyId: this.current, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  open(
    channelId: string,
    s: { keyId: string; iv: Buffer; ciphertext: Buffer; authTag: Buffer },
  ): string {
    const key = this.keys.get(s.keyId);
    if (!key) throw new Error(`secret key ${s.keyId} is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, s.iv);
    decipher.setAAD(Buffer.from(channelId, 'utf8'));
    decipher.setAuthTag(s.authTag);
    return Buffer.concat([decipher.update(s.ciphertext), decipher.final()]).toString('utf8');
  }
}

/** A fresh Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The secrets of each webhook channel. Rotation adds a new secret and gives the current ones an
 * end (`retires_at`, the overlap window): until then deliveries carry a signature by each, so a
 * receiver can switch secrets at its own pace (Standard Webhooks allows several signatures).
 */
@Injectable()
export class WebhookSecretStore {
  private cipher: SecretCipher | undefined;

  constructor(private readonly ds: DataSource) {}

  private c(): SecretCipher {
    this.cipher ??= new SecretCipher(process.env.PARTNER_SECRET_KEYS);
    return this.cipher;
  }

  /** Adds a new secret; the ones in force retire after `overlapMs`. Returns the new secret. */
  async rotate(tx: SqlExecutor, channelId: string, overlapMs: number): Promise<string> {
    const secret = newWebhookSecret();
    await tx.query(
      `UPDATE webhook_secrets SET retires_at = LEAST(COALESCE(retires_at, 'infinity'),
         now() + $2::int * interval '1 millisecond')
        WHERE channel_id = $1`,
      [channelId, overlapMs],
    );
    const sealed = this.c().seal(channelId, secret);
    await tx.query(
      `INSERT INTO webhook_secrets (id, channel_id, key_id, iv, ciphertext, auth_tag)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [randomUUID(), channelId, sealed.keyId, sealed.iv, sealed.ciphertext, sealed.authTag],
    );
    return secret;
  }

  /** The secrets in force now, newest first. */
  async inForce(channelId: string): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT key_id, iv, ciphertext, auth_tag FROM webhook_secrets
        WHERE channel_id = $1 AND (retires_at IS NULL OR retires_at > now())
        ORDER BY created_at DESC`,
      [channelId],
    )) as { key_id: string; iv: Buffer; ciphertext: Buffer; auth_tag: Buffer }[];
    return rows.map((r) =>
      this.c().open(channelId, {
        keyId: r.key_id,
        iv: r.iv,
        ciphertext: r.ciphertext,
        authTag: r.auth_tag,
      }),
    );
  }
}
