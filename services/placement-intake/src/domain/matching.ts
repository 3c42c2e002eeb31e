import type { Location } from './location';
import type { Expertise, ForensicMix, Need, OffenceCategory, RefusalReason } from './vocabulary';

/**
 * Matching (issue 4 §3): a provider's candidate locations for a request, ranked by rules that are
 * DATA (stored per provider, defaults below). Each rule is a condition with an effect: `exclude`
 * makes the location ineligible (with the refusal reason it suggests), `score` adds
 * `points × count` (negative points are a penalty). Every rule explains itself per candidate.
 */
export const RULE_KINDS = [
  'no-capacity',
  'offence-excluded-by-location',
  'active-use-at-abstinent-location',
  'needs-covered-by-expertise',
  'needs-not-covered-by-expertise',
  'forensic-mix',
  'free-places',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface MatchingRule {
  readonly kind: RuleKind;
  readonly effect: 'exclude' | 'score';
  readonly points: number;
  /** forensic-mix only: the offences for which the mix below is preferred. */
  readonly offenceCategories?: readonly OffenceCategory[];
  /** forensic-mix only. */
  readonly forensicMix?: ForensicMix;
}

export interface MatchingConfig {
  /** R-REFUSAL: a title with fewer months left is too short (default 6). */
  readonly minRemainingTitleMonths: number;
  readonly rules: readonly MatchingRule[];
}

export const DEFAULT_MATCHING_CONFIG: MatchingConfig = {
  minRemainingTitleMonths: 6,
  rules: [
    { kind: 'no-capacity', effect: 'exclude', points: 0 },
    { kind: 'offence-excluded-by-location', effect: 'exclude', points: 0 },
    { kind: 'active-use-at-abstinent-location', effect: 'exclude', points: 0 },
    { kind: 'needs-covered-by-expertise', effect: 'score', points: 10 },
    { kind: 'needs-not-covered-by-expertise', effect: 'score', points: -5 },
    {
      kind: 'forensic-mix',
      effect: 'score',
      points: 5,
      offenceCategories: ['sexual', 'sexual-against-minors', 'arson'],
      forensicMix: 'spread',
    },
    { kind: 'free-places', effect: 'score', points: 1 },
  ],
};

/** Needs that ask for a specialist expertise of the location. */
export const EXPERTISE_FOR_NEED: Partial<Record<Need, Expertise>> = {
  'lvb-support': 'lvb',
  'addiction-care': 'addiction',
  'psychiatric-care': 'psychiatry',
};

const REASON_OF: Partial<Record<RuleKind, RefusalReason>> = {
  'no-capacity': 'no-capacity',
  'offence-excluded-by-location': 'offence-incompatible-with-location',
  'active-use-at-abstinent-location': 'active-use-vs-abstinent-location',
  'forensic-mix': 'risk-to-co-residents',
  'needs-not-covered-by-expertise': 'other',
};

export interface MatchRequest {
  readonly offenceCategory: OffenceCategory;
  readonly activeSubstanceUse: boolean;
  readonly needs: readonly Need[];
  readonly remainingTitleMonths: number;
}

export interface CandidateLocation {
  readonly location: Location;
  readonly freePlaces: number;
}

export interface Candidate {
  readonly locationId: string;
  readonly label: string;
  readonly freePlaces: number;
  readonly eligible: boolean;
  readonly score: number;
  /** The refusal reason the first excluding rule suggests, when not eligible. */
  readonly suggestedRefusalReason?: RefusalReason;
  readonly explanation: string[];
}

export interface MatchResult {
  readonly titleTooShort: boolean;
  readonly explanation: string[];
  readonly candidates: Candidate[];
}

interface Finding {
  readonly applies: boolean;
  readonly count: number;
  readonly text: string;
}

function evaluate(rule: MatchingRule, req: MatchRequest, c: CandidateLocation): Finding {
  const l = c.location;
  switch (rule.kind) {
    case 'no-capacity':
      return {
        applies: c.freePlaces <= 0,
        count: 1,
        text: c.freePlaces <= 0 ? 'no free place' : `${c.freePlaces} free place(s)`,
      };
    case 'offence-excluded-by-location': {
      const applies = l.excludedOffenceCategories.includes(req.offenceCategory);
      return {
        applies,
        count: 1,
        text: applies
          ? `location does not take offence category ${req.offenceCategory}`
          : 'offence category not excluded by the location',
      };
    }
    case 'active-use-at-abstinent-location': {
      const applies = req.activeSubstanceUse && l.substancePolicy === 'abstinent';
      return {
        applies,
        count: 1,
        text: applies
          ? 'client uses substances, location is abstinent'
          : `substance policy ${l.substancePolicy} fits`,
      };
    }
    case 'needs-covered-by-expertise':
    case 'needs-not-covered-by-expertise': {
      const specialist = req.needs.flatMap((n) => {
        const e = EXPERTISE_FOR_NEED[n];
        return e ? [{ need: n, expertise: e }] : [];
      });
      const covered = specialist.filter((s) => l.expertise.includes(s.expertise));
      const missing = specialist.filter((s) => !l.expertise.includes(s.expertise));
      if (rule.kind === 'needs-covered-by-expertise') {
        return {
          applies: covered.length > 0,
          count: covered.length,
          text: covered.length
            ? `expertise covers ${covered.map((s) => s.need).join(', ')}`
            : 'no specialist need covered',
        };
      }
      return {
        applies: missing.length > 0,
        count: missing.length,
        text: missing.length
          ? `no expertise for ${missing.map((s) => s.need).join(', ')}`
          : 'every specialist need covered',
      };
    }
    case 'forensic-mix': {
      const relevant = (rule.offenceCategories ?? []).includes(req.offenceCategory);
      const applies =
        relevant && rule.forensicMix !== undefined && l.forensicMix === rule.forensicMix;
      return {
        applies,
        count: 1,
        text: relevant
          ? `${l.forensicMix} mix${applies ? ' (preferred for this offence category)' : ` (${rule.forensicMix} preferred)`}`
          : `${l.forensicMix} mix`,
      };
    }
    case 'free-places':
      return {
        applies: c.freePlaces > 0,
        count: c.freePlaces,
        text: `${c.freePlaces} free place(s)`,
      };
  }
}

export function rankCandidates(
  config: MatchingConfig,
  req: MatchRequest,
  locations: readonly CandidateLocation[],
): MatchResult {
  const titleTooShort = req.remainingTitleMonths < config.minRemainingTitleMonths;
  const titleLine = titleTooShort
    ? `remaining title ${req.remainingTitleMonths} month(s) < ${config.minRemainingTitleMonths}: title too short`
    : `remaining title ${req.remainingTitleMonths} month(s) >= ${config.minRemainingTitleMonths}`;
  const candidates = locations.map((c): Candidate => {
    let score = 0;
    let reason: RefusalReason | undefined = titleTooShort ? 'title-too-short' : undefined;
    const explanation: string[] = [];
    for (const rule of config.rules) {
      const f = evaluate(rule, req, c);
      if (rule.effect === 'exclude') {
        if (f.applies) reason ??= REASON_OF[rule.kind] ?? 'other';
        explanation.push(`${rule.kind}: ${f.text}${f.applies ? ' → excluded' : ''}`);
      } else {
        const points = f.applies ? rule.points * f.count : 0;
        score += points;
        explanation.push(`${rule.kind}: ${f.text} → ${points >= 0 ? '+' : ''}${points}`);
      }
    }
    return {
      locationId: c.location.id,
      label: c.location.label,
      freePlaces: c.freePlaces,
      eligible: reason === undefined,
      score,
      ...(reason ? { suggestedRefusalReason: reason } : {}),
      explanation,
    };
  });
  candidates.sort(
    (a, b) =>
      Number(b.eligible) - Number(a.eligible) ||
      b.score - a.score ||
      b.freePlaces - a.freePlaces ||
      a.label.localeCompare(b.label),
  );
  return { titleTooShort, explanation: [titleLine], candidates };
}
