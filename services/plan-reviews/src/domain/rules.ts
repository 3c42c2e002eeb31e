/**
 * The schedule rules (DOMAIN.md §3) as data: a default per rule id, overridable per region and
 * per agreement ("every deadline and cadence is a default that a region or agreement can
 * override; the rule id stays"). Pure.
 */
export const RULE_IDS = [
  'R-PLAN-6W',
  'R-PLAN-6M',
  'R-DRIEGESPREK',
  'R-RISK',
  'R-SAFETY-PLAN',
  'R-PROGRESS',
  'R-TITLE-END',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A calendar period: months first, then days (both optional, at least one > 0). */
export interface Period {
  readonly months?: number;
  readonly days?: number;
}

export interface RuleSettings {
  /** First definitive plan: due 6 weeks after intake, overdue after the 3-month hard limit. */
  readonly 'R-PLAN-6W': { readonly due: Period; readonly hardLimit: Period };
  /** Full plan evaluation at least every 6 months (from move-in or the last evaluation). */
  readonly 'R-PLAN-6M': { readonly cadence: Period; readonly grace: Period };
  /** Driegesprek about a week after move-in, then at the agreed cadence. */
  readonly 'R-DRIEGESPREK': {
    readonly first: Period;
    readonly cadence: Period;
    readonly grace: Period;
  };
  /** Reassessment after placement, on a change of context, and when an assessment expires. */
  readonly 'R-RISK': {
    readonly afterPlacement: Period;
    readonly afterContextChange: Period;
    readonly grace: Period;
  };
  /** Ambulant care at a high risk level: a safety plan within `due` of the assessment. */
  readonly 'R-SAFETY-PLAN': { readonly due: Period; readonly grace: Period };
  /** Periodic progress report with the client, from the definitive plan on. */
  readonly 'R-PROGRESS': { readonly cadence: Period; readonly grace: Period };
  /** Lead times before a title's expected end date (days). */
  readonly 'R-TITLE-END': { readonly leadTimesDays: readonly number[] };
}

export const RULE_DEFAULTS: RuleSettings = {
  'R-PLAN-6W': { due: { days: 42 }, hardLimit: { months: 3 } },
  'R-PLAN-6M': { cadence: { months: 6 }, grace: { days: 14 } },
  'R-DRIEGESPREK': { first: { days: 7 }, cadence: { months: 3 }, grace: { days: 7 } },
  'R-RISK': { afterPlacement: { days: 28 }, afterContextChange: { days: 14 }, grace: { days: 14 } },
  'R-SAFETY-PLAN': { due: { days: 14 }, grace: { days: 7 } },
  'R-PROGRESS': { cadence: { months: 3 }, grace: { days: 14 } },
  'R-TITLE-END': { leadTimesDays: [90, 30] },
};

/** Overrides of some settings of some rules (a region's, an agreement's). */
export type RuleOverrides = { readonly [R in RuleId]?: Partial<RuleSettings[R]> };

/** Defaults ← region ← agreement: the most specific source wins, setting by setting. */
export function resolveRules(
  region: RuleOverrides | undefined,
  agreement: RuleOverrides | undefined,
): RuleSettings {
  const out: Record<string, unknown> = {};
  for (const id of RULE_IDS) {
    out[id] = { ...RULE_DEFAULTS[id], ...(region?.[id] ?? {}), ...(agreement?.[id] ?? {}) };
  }
  return out as unknown as RuleSettings;
}

/** Problems with an override document (unknown rule or setting, a period that is not > 0). */
export function overrideProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['not an object'];
  const problems: string[] = [];
  for (const [id, settings] of Object.entries(value)) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      problems.push(`${id}: unknown rule`);
      continue;
    }
    const defaults = RULE_DEFAULTS[id as RuleId] as Record<string, unknown>;
    if (typeof settings !== 'object' || settings === null) {
      problems.push(`${id}: not an object`);
      continue;
    }
    for (const [key, v] of Object.entries(settings)) {
      if (!(key in defaults)) problems.push(`${id}.${key}: unknown setting`);
      else if (key === 'leadTimesDays') {
        const ok =
          Array.isArray(v) &&
          v.length > 0 &&
          v.every((n) => Number.isInteger(n) && n >= 1 && n <= 730);
        if (!ok) problems.push(`${id}.${key}: a non-empty list of whole days 1..730`);
      } else if (!isPeriod(v)) problems.push(`${id}.${key}: a period { months?, days? } > 0`);
    }
  }
  return problems;
}

function isPeriod(v: unknown): v is Period {
  if (typeof v !== 'object' || v === null) return false;
  const keys = Object.keys(v);
  if (keys.length === 0 || keys.some((k) => k !== 'months' && k !== 'days')) return false;
  const { months = 0, days = 0 } = v as Period;
  const whole = (n: number) => Number.isInteger(n) && n >= 0 && n <= 3650;
  return whole(months) && whole(days) && months + days > 0;
}
