import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RuleOverrides, RuleId } from '../domain/rules';
import {
  emptyFacts,
  fireAt,
  type ItemKind,
  type ItemState,
  type ReviewItem,
  type ScheduleFacts,
} from '../domain/schedule';
import {
  ScheduleStore,
  type AgendaEntry,
  type AgendaPage,
} from '../application/ports/schedule.store.port';

interface ItemRow {
  id: string;
  trajectory_id: string;
  slot: string;
  kind: string;
  rule_id: string;
  responsible_org: string;
  due_on: string;
  overdue_on: string;
  state: string;
  invited_orgs: string[];
  title: ReviewItem['title'] | null;
  fired_at: Date | null;
}

/**
 * The due scan: at most $2 armed timers from the partial index review_items_fire_at (a bounded
 * range scan, whatever the number of scheduled items), their trajectories' facts rows locked
 * with SKIP LOCKED (the per-trajectory lock; another instance holds the rest). Benchmarked by
 * services/plan-reviews/src/test-support/due-scan.bench.ts.
 */
export const CLAIM_DUE_SQL = `SELECT f.trajectory_id::text AS id FROM schedule_facts f
        WHERE f.trajectory_id IN (
          SELECT trajectory_id FROM review_items
           WHERE fire_at IS NOT NULL AND fire_at <= $1 ORDER BY fire_at LIMIT $2)
        FOR UPDATE SKIP LOCKED`;

const COLUMNS = `id::text, trajectory_id::text, slot, kind, rule_id, responsible_org, due_on::text,
  overdue_on::text, state, invited_orgs, title, fired_at`;

function toItem(r: ItemRow): AgendaEntry {
  return {
    id: r.id,
    trajectoryId: r.trajectory_id,
    slot: r.slot,
    kind: r.kind as ItemKind,
    ruleId: r.rule_id as RuleId,
    responsibleOrganisationId: r.responsible_org,
    dueOn: r.due_on,
    overdueOn: r.overdue_on,
    state: r.state as ItemState,
    invitedOrganisationIds: r.invited_orgs,
    ...(r.title ? { title: r.title } : {}),
    ...(r.fired_at ? { firedAt: r.fired_at } : {}),
  };
}

@Injectable()
export class SqlScheduleStore extends ScheduleStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async lock(tx: EntityManager, trajectoryId: string) {
    await tx.query(
      `INSERT INTO schedule_facts (trajectory_id, facts) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [trajectoryId, JSON.stringify(emptyFacts(trajectoryId))],
    );
    const [row] = (await tx.query(
      `SELECT facts FROM schedule_facts WHERE trajectory_id = $1 FOR UPDATE`,
      [trajectoryId],
    )) as { facts: ScheduleFacts }[];
    // Open items, and fired title-end notices (they keep a notice from being repeated).
    const items = (await tx.query(
      `SELECT ${COLUMNS} FROM review_items
        WHERE trajectory_id = $1 AND (state IN ('scheduled', 'due', 'overdue') OR (state = 'fired'))`,
      [trajectoryId],
    )) as ItemRow[];
    return { facts: row!.facts, items: items.map(toItem) };
  }

  async save(tx: EntityManager, facts: ScheduleFacts, items: readonly ReviewItem[], now: Date) {
    await tx.query(
      `UPDATE schedule_facts SET facts = $2, updated_at = $3 WHERE trajectory_id = $1`,
      [facts.trajectoryId, JSON.stringify(facts), now],
    );
    // Closed items first, so an item replacing one in the same slot passes the unique index.
    const ordered = [...items].sort((a, b) => Number(isOpen(a)) - Number(isOpen(b)));
    for (const i of ordered) {
      const fired = i.state === 'due' || i.state === 'overdue' || i.state === 'fired';
      await tx.query(
        `INSERT INTO review_items (id, trajectory_id, slot, kind, rule_id, responsible_org, due_on,
           overdue_on, state, invited_orgs, title, fire_at, fired_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
         ON CONFLICT (id) DO UPDATE SET responsible_org = EXCLUDED.responsible_org,
           due_on = EXCLUDED.due_on, overdue_on = EXCLUDED.overdue_on, state = EXCLUDED.state,
           invited_orgs = EXCLUDED.invited_orgs, title = EXCLUDED.title, fire_at = EXCLUDED.fire_at,
           fired_at = CASE WHEN $14 THEN EXCLUDED.updated_at ELSE review_items.fired_at END,
           updated_at = EXCLUDED.updated_at`,
        [
          i.id,
          i.trajectoryId,
          i.slot,
          i.kind,
          i.ruleId,
          i.responsibleOrganisationId,
          i.dueOn,
          i.overdueOn,
          i.state,
          i.invitedOrganisationIds,
          i.title ? JSON.stringify(i.title) : null,
          fireAt(i),
          now,
          fired,
        ],
      );
    }
  }

  async claimDue(tx: EntityManager, now: Date, limit: number): Promise<string[]> {
    // The due scan reads at most `limit` timers from review_items_fire_at (bounded, whatever the
    // number of scheduled items); the facts rows are the per-trajectory lock.
    const rows = (await tx.query(CLAIM_DUE_SQL, [now, limit])) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async regionRules(tx: EntityManager, region: string | undefined) {
    if (!region) return undefined;
    const [row] = (await tx.query(`SELECT rules FROM rule_overrides WHERE region = $1`, [
      region,
    ])) as { rules: RuleOverrides }[];
    return row?.rules;
  }

  async setRegionRules(region: string, rules: RuleOverrides, by: string) {
    await this.ds.query(
      `INSERT INTO rule_overrides (region, rules, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (region) DO UPDATE SET rules = EXCLUDED.rules, updated_by = EXCLUDED.updated_by,
         updated_at = now()`,
      [region, JSON.stringify(rules), by],
    );
  }

  async trajectoriesIn(region: string): Promise<string[]> {
    const rows = (await this.ds.query(
      `SELECT trajectory_id::text AS id FROM schedule_facts WHERE facts ->> 'region' = $1`,
      [region],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async agenda(
    organisationId: string,
    states: readonly string[],
    page: { limit: number; offset: number },
  ): Promise<AgendaPage> {
    const [rows, [count]] = await Promise.all([
      this.ds.query(
        `SELECT ${COLUMNS} FROM review_items
          WHERE responsible_org = $1 AND state = ANY($2::text[])
          ORDER BY due_on, id LIMIT $3 OFFSET $4`,
        [organisationId, states, page.limit, page.offset],
      ) as Promise<ItemRow[]>,
      this.ds.query(
        `SELECT count(*)::int AS n FROM review_items WHERE responsible_org = $1 AND state = ANY($2::text[])`,
        [organisationId, states],
      ) as Promise<{ n: number }[]>,
    ]);
    return { items: rows.map(toItem), total: count!.n };
  }
}

const isOpen = (i: ReviewItem) =>
  i.state === 'scheduled' || i.state === 'due' || i.state === 'overdue';
