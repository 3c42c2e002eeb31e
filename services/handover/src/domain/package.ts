import type { DataCategory, TitleRegisteredV1 } from '@ketenlink/contracts';
import { permittedCategories } from '@ketenlink/consent';
import {
  ClientDataView,
  type DisclosureGrant,
  type Entitlement,
  type TrajectoryFacts,
} from '@ketenlink/disclosure';
import { packageWindow, type Handover } from './handover';

/**
 * The handover package (R-HANDOVER: "the package reuses existing work"): the trajectory's
 * current plan, risk assessment and early-warning plan (plan reviews), the legal titles and
 * their conditions (trajectory facts) and the sender's closing report (this service). Each item
 * carries the data category that decides whether the receiving organisation may read it; the
 * package is cut field by field by the disclosure gate, and what is left out is listed with why.
 * docs/adr/0032-handover-package-grant.md.
 */

/** What a handover grant may ever carry beyond the handover's own facts: the package's content. */
export const PACKAGE_CONTENT_CATEGORIES: readonly DataCategory[] = [
  'title-and-conditions',
  'risk',
  'plan-and-goals',
];

/**
 * What a receiving organisation gets as party to a pending handover, without consent: that the
 * handover exists, who takes part, when (the receiving-provider role default of libs/consent).
 */
export const PARTY_CATEGORIES: readonly DataCategory[] = [
  'participation',
  'general-information',
  'metadata',
];

/**
 * The receiving organisation's disclosure grants for one handover at instant `at` (it is not a
 * participant before completion, so without them the gate would not let it see anything):
 *
 * - `party`: the handover's own facts, legal duty (forensic care act, party to a pending
 *   handover), from the request until it is declined, cancelled or the receiver participates;
 * - `package`: the package content, only from acceptance, and capped by the consent policy:
 *   exactly the content categories that the client's consent records in force at `at` let
 *   reach the receiving organisation (libs/consent `permittedCategories`, no participation
 *   counted). A consent withdrawn before the read shrinks the grant at once; the grant never
 *   widens what the client consented to, it only bounds it in time and to this package.
 */
export function handoverGrants(
  h: Handover,
  facts: Pick<TrajectoryFacts, 'consents'>,
  at: Date,
): DisclosureGrant[] {
  const grants: DisclosureGrant[] = [];
  const window = packageWindow(h);
  const partyUntil = h.declined?.at ?? h.cancelled?.at ?? window?.until;
  grants.push({
    id: `handover-party:${h.id}`,
    recipientOrganisationId: h.receivingOrganisationId,
    categories: PARTY_CATEGORIES,
    purpose: 'handover-party',
    legalBasis: 'legal-duty',
    validFrom: h.requestedAt,
    ...(partyUntil ? { validUntil: partyUntil } : {}),
  });
  if (!window) return grants;
  const consented = permittedCategories({
    recipient: { kind: 'organisation', id: h.receivingOrganisationId },
    participations: [],
    consents: facts.consents,
    at,
  });
  const categories = PACKAGE_CONTENT_CATEGORIES.filter((c) => consented.has(c));
  if (categories.length > 0) {
    grants.push({
      id: `handover-package:${h.id}`,
      recipientOrganisationId: h.receivingOrganisationId,
      categories,
      purpose: 'handover-package',
      legalBasis: 'consent',
      validFrom: window.from,
      ...(window.until ? { validUntil: window.until } : {}),
    });
  }
  return grants;
}

// --- the sources -------------------------------------------------------------------------------

export type Conditions = NonNullable<TitleRegisteredV1['conditions']>;

export interface PackageTitle {
  readonly kind: string;
  readonly startDate: string;
  readonly expectedEndDate?: string;
  readonly endedOn?: string;
  readonly conditions: Conditions;
}

/** A plan version as plan reviews recorded it (goals; the early-warning plan travels apart). */
export interface PlanSource {
  readonly version: number;
  readonly recordedAt: string;
  readonly goals: readonly string[];
  readonly summary?: string;
}

export interface RiskAssessmentSource {
  readonly instrument: string;
  readonly level?: string;
  readonly assessedOn: string;
  readonly validUntil?: string;
  readonly summary?: string;
}

/** The signaleringsplan: signs per traffic-light phase and what to do. */
export interface EarlyWarningPlanSource {
  readonly recordedAt: string;
  readonly phases: readonly {
    readonly phase: string;
    readonly signs: string;
    readonly actions: string;
  }[];
}

export interface PackageSources {
  readonly titles: readonly PackageTitle[];
  readonly plan?: PlanSource;
  readonly riskAssessment?: RiskAssessmentSource;
  readonly earlyWarningPlan?: EarlyWarningPlanSource;
}

/** The package's fields and their categories: what the gate filters by. */
export const PACKAGE_VIEW = ClientDataView.of({
  handoverId: 'metadata',
  trajectoryId: 'metadata',
  kind: 'participation',
  sendingOrganisationId: 'participation',
  receivingOrganisationId: 'participation',
  plannedDate: 'participation',
  reason: 'plan-and-goals',
  followOnCare: 'plan-and-goals',
  titles: {
    category: 'title-and-conditions',
    arrayOf: {
      kind: 'title-and-conditions',
      startDate: 'title-and-conditions',
      expectedEndDate: 'title-and-conditions',
      endedOn: 'title-and-conditions',
      conditions: {
        category: 'title-and-conditions',
        arrayOf: { type: 'title-and-conditions', description: 'title-and-conditions' },
      },
    },
  },
  plan: {
    category: 'plan-and-goals',
    object: {
      version: 'plan-and-goals',
      recordedAt: 'plan-and-goals',
      goals: 'plan-and-goals',
      summary: 'plan-and-goals',
    },
  },
  riskAssessment: {
    category: 'risk',
    object: {
      instrument: 'risk',
      level: 'risk',
      assessedOn: 'risk',
      validUntil: 'risk',
      summary: 'risk',
    },
  },
  earlyWarningPlan: {
    category: 'risk',
    object: {
      recordedAt: 'risk',
      phases: { category: 'risk', arrayOf: { phase: 'risk', signs: 'risk', actions: 'risk' } },
    },
  },
  closingReport: {
    category: 'plan-and-goals',
    object: {
      risks: 'risk',
      whatWorks: 'plan-and-goals',
      whyEnded: 'plan-and-goals',
      recordedAt: 'plan-and-goals',
    },
  },
});

/** The package items a coordinator sees listed, each with its category. */
export const PACKAGE_ITEMS = {
  reason: 'plan-and-goals',
  titles: 'title-and-conditions',
  plan: 'plan-and-goals',
  riskAssessment: 'risk',
  earlyWarningPlan: 'risk',
  'closingReport.risks': 'risk',
  'closingReport.whatWorks': 'plan-and-goals',
  'closingReport.whyEnded': 'plan-and-goals',
} as const satisfies Record<string, DataCategory>;
export type PackageItem = keyof typeof PACKAGE_ITEMS;

export interface LeftOut {
  readonly item: PackageItem;
  readonly category: DataCategory;
  /** Why: not entitled (the policy's reason), or not available (no such source yet). */
  readonly reason: string;
}

export interface AssembledPackage {
  readonly body: Record<string, unknown> & { readonly leftOut: readonly LeftOut[] };
  readonly categories: DataCategory[];
}

/** Everything the package could hold, before the gate cuts it. */
export function fullPackage(h: Handover, sources: PackageSources): Record<string, unknown> {
  return {
    handoverId: h.id,
    trajectoryId: h.trajectoryId,
    kind: h.kind,
    sendingOrganisationId: h.sendingOrganisationId,
    receivingOrganisationId: h.receivingOrganisationId,
    plannedDate: h.plannedDate,
    reason: h.reason,
    ...(h.followOnCare ? { followOnCare: h.followOnCare } : {}),
    titles: sources.titles,
    ...(sources.plan ? { plan: sources.plan } : {}),
    ...(sources.riskAssessment ? { riskAssessment: sources.riskAssessment } : {}),
    ...(sources.earlyWarningPlan ? { earlyWarningPlan: sources.earlyWarningPlan } : {}),
    ...(h.closingReport
      ? {
          closingReport: {
            risks: h.closingReport.risks,
            whatWorks: h.closingReport.whatWorks,
            whyEnded: h.closingReport.whyEnded,
            recordedAt: h.closingReport.recordedAt.toISOString(),
          },
        }
      : {}),
  };
}

/**
 * The package as `entitlement` lets it out: filtered field by field, and for each item left out
 * the reason (the policy's decision, or that the source does not exist yet). Pure.
 */
export function assemblePackage(
  h: Handover,
  sources: PackageSources,
  entitlement: Pick<Entitlement, 'permitted' | 'decisions'>,
): AssembledPackage {
  const full = fullPackage(h, sources);
  const { data, categories } = PACKAGE_VIEW.filter(full, entitlement.permitted);
  const leftOut: LeftOut[] = [];
  for (const [item, category] of Object.entries(PACKAGE_ITEMS) as [PackageItem, DataCategory][]) {
    const available = valueAt(full, item) !== undefined;
    const d = entitlement.decisions[category];
    if (!d.permit) leftOut.push({ item, category, reason: d.reason });
    else if (!available)
      leftOut.push({ item, category, reason: 'not available: no such record yet' });
  }
  return { body: { ...data, leftOut }, categories };
}

function valueAt(o: Record<string, unknown>, path: string): unknown {
  const v = path
    .split('.')
    .reduce<unknown>((n, k) => (n as Record<string, unknown> | undefined)?.[k], o);
  return Array.isArray(v) && v.length === 0 ? undefined : v;
}
