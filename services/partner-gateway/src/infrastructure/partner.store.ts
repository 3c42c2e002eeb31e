import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import type { PartnerAudience, PartnerChannel, PartnerProfile } from '../domain/partner';
import {
  type NewPartner,
  PartnerStore,
  type WebhookTarget,
} from '../application/ports/partner.store.port';

interface PartnerRow {
  organisation_id: string;
  audience: PartnerAudience;
  trajectory_id: string | null;
  full_payloads: boolean;
  channels: { id: string; kind: 'topic' | 'webhook'; url: string | null; event_types: string[] }[];
  subscriptions: string[];
}

const SELECT = `
  SELECT p.organisation_id, p.audience, p.trajectory_id::text AS trajectory_id, p.full_payloads,
         COALESCE((SELECT json_agg(json_build_object('id', c.id, 'kind', c.kind, 'url', c.url,
                     'event_types', c.event_types) ORDER BY c.created_at, c.id)
                     FROM partner_channels c WHERE c.organisation_id = p.organisation_id), '[]') AS channels,
         COALESCE((SELECT array_agg(s.event_type ORDER BY s.event_type) FROM partner_subscriptions s
                    WHERE s.organisation_id = p.organisation_id), '{}') AS subscriptions
    FROM partners p`;

function profileOf(r: PartnerRow): PartnerProfile {
  return {
    organisationId: r.organisation_id,
    audience: r.audience,
    ...(r.trajectory_id ? { trajectoryId: r.trajectory_id } : {}),
    fullPayloads: r.full_payloads,
    subscriptions: new Set(r.subscriptions),
    channels: r.channels.map((c): PartnerChannel => ({
      id: c.id,
      kind: c.kind,
      ...(c.url ? { url: c.url } : {}),
      eventTypes: c.event_types,
    })),
  };
}

@Injectable()
export class SqlPartnerStore extends PartnerStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  private q(tx?: SqlExecutor): SqlExecutor {
    return tx ?? (this.ds as unknown as SqlExecutor);
  }

  async register(tx: SqlExecutor, p: NewPartner): Promise<boolean> {
    const rows = (await tx.query(
      `INSERT INTO partners (organisation_id, audience, trajectory_id, full_payloads, registered_by)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id) DO NOTHING RETURNING 1`,
      [p.organisationId, p.audience, p.trajectoryId ?? null, p.fullPayloads, p.registeredBy],
    )) as unknown[];
    return rows.length > 0;
  }

  async addChannel(
    tx: SqlExecutor,
    organisationId: string,
    c: PartnerChannel & { maxInFlight?: number },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO partner_channels (id, organisation_id, kind, url, event_types, max_in_flight)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, organisationId, c.kind, c.url ?? null, c.eventTypes, c.maxInFlight ?? 4],
    );
  }

  async setSubscriptions(tx: SqlExecutor, organisationId: string, types: readonly string[]) {
    await tx.query(`DELETE FROM partner_subscriptions WHERE organisation_id = $1`, [
      organisationId,
    ]);
    if (types.length === 0) return;
    await tx.query(
      `INSERT INTO partner_subscriptions (organisation_id, event_type)
       SELECT $1, unnest($2::text[])`,
      [organisationId, [...new Set(types)]],
    );
  }

  async get(organisationId: string, tx?: SqlExecutor): Promise<PartnerProfile | undefined> {
    const rows = (await this.q(tx).query(`${SELECT} WHERE p.organisation_id = $1`, [
      organisationId,
    ])) as PartnerRow[];
    return rows[0] ? profileOf(rows[0]) : undefined;
  }

  async all(tx?: SqlExecutor): Promise<PartnerProfile[]> {
    const rows = (await this.q(tx).query(
      `${SELECT} ORDER BY p.organisation_id`,
      [],
    )) as PartnerRow[];
    return rows.map(profileOf);
  }

  async webhookTargets(): Promise<WebhookTarget[]> {
    const rows = (await this.ds.query(
      `SELECT id::text AS channel_id, organisation_id, url, max_in_flight
         FROM partner_channels WHERE kind = 'webhook'`,
    )) as { channel_id: string; organisation_id: string; url: string; max_in_flight: number }[];
    return rows.map((r) => ({
      channelId: r.channel_id,
      organisationId: r.organisation_id,
      url: r.url,
      maxInFlight: r.max_in_flight,
    }));
  }
}
