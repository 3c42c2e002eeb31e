import { randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { AesGcmKeyRing, type Sealed } from '@ketenlink/persistence';
import { DataSource } from 'typeorm';

/**
 * Webhook signing secrets, encrypted at rest with AES-256-GCM under the key ring
 * `PARTNER_SECRET_KEYS` (libs/persistence AesGcmKeyRing, as the identity vault). The channel id
 * is the additional data, so a sealed secret cannot be moved to another channel.
 */
export class SecretCipher {
  private readonly ring: AesGcmKeyRing;

  constructor(spec: string | undefined) {
    this.ring = new AesGcmKeyRing(spec, 'PARTNER_SECRET_KEYS', 'webhook secret key');
  }

  seal(channelId: string, secret: string): Sealed {
    return this.ring.seal(channelId, Buffer.from(secret, 'utf8'));
  }

  open(channelId: string, sealed: Sealed): string {
    return this.ring.open(channelId, sealed).toString('utf8');
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
