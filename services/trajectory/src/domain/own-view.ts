/**
 * The client's (and a relative's) own view of the trajectory in plain language (R-CONSENT: the
 * client sees his own trajectory; relatives general information, more only with consent). Each
 * part appears only when its category is permitted; what is left out is named in `withheld`.
 */
import type { DataCategory } from '@ketenlink/contracts';
import type { ParticipantRole } from '@ketenlink/consent';
import type { Entitlement } from '@ketenlink/disclosure';
import type { Organisation } from './organisations';
import type { TitleKind, TrajectoryState } from './trajectory';

const ROLE_WORDS: Record<ParticipantRole, string> = {
  provider: 'gives you care and support where you live',
  probation: 'supervises the conditions of your legal title (reclassering)',
  zvh: 'brings the organisations around you together (Zorg- en Veiligheidshuis)',
  referrer: 'asked for a place for you',
  'receiving-provider': 'is getting ready to take over your care',
};

const TITLE_WORDS: Record<TitleKind, string> = {
  'special-conditions-suspended-sentence': 'a suspended sentence with special conditions',
  'conditional-release': 'conditional release',
  'penitentiary-programme': 'a penitentiary programme',
  'tbs-with-conditions': 'TBS with conditions',
  'forensic-care-as-condition': 'forensic care as a condition',
  other: 'a legal title',
};

const CATEGORY_WORDS: Record<DataCategory, string> = {
  identity: 'your name, date of birth and BSN',
  'title-and-conditions': 'your legal title and its conditions',
  risk: 'risk assessments',
  'plan-and-goals': 'your plan and goals',
  medical: 'medical information and medication',
  'incidents-and-violations': 'incidents and violations',
  'contact-and-logistics': 'addresses and appointments',
  participation: 'which organisations take part',
  'general-information': 'general information (such as your first point of contact)',
  consent: 'who may see what',
  metadata: 'technical details',
};

export interface OwnView {
  trajectoryId: string;
  youAre: 'client' | 'relative';
  startedOn: string;
  firstPointOfContact?: string;
  organisations?: { name: string; whatTheyDo: string; since: string; until?: string }[];
  legalTitles?: {
    what: string;
    from: string;
    expectedEnd: string;
    ended?: string;
    conditions: string[];
  }[];
  consents?: {
    id: string;
    who: string;
    mayReceive: string[];
    purpose: string;
    from: string;
    until?: string;
    withdrawn?: string;
  }[];
  withheld: string[];
  note: string;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

export function ownView(
  state: TrajectoryState,
  entitlement: Pick<Entitlement, 'permitted'>,
  youAre: 'client' | 'relative',
  names: (organisationId: string) => Organisation | undefined,
  now: Date,
): { body: OwnView; categories: DataCategory[] } {
  const may = (c: DataCategory) => entitlement.permitted.has(c);
  const name = (id: string) => names(id)?.name ?? id;
  const categories: DataCategory[] = ['metadata'];
  const withheld: string[] = [];
  const body: OwnView = {
    trajectoryId: state.trajectory.id,
    youAre,
    startedOn: day(state.trajectory.openedAt),
    withheld,
    note:
      youAre === 'client'
        ? 'This is everything the chain organisations record about your trajectory. You decide ' +
          'who else may see it: grant or withdraw consent here.'
        : 'You see general information. The client decides whether you may see more.',
  };
  if (may('general-information')) {
    body.firstPointOfContact = name(state.trajectory.caseLead.organisationId);
    categories.push('general-information');
  } else withheld.push('firstPointOfContact');
  if (may('participation')) {
    body.organisations = state.participations
      .filter((p) => p.until === undefined || p.until.getTime() > now.getTime())
      .map((p) => ({
        name: name(p.organisationId),
        whatTheyDo: ROLE_WORDS[p.role],
        since: day(p.from),
        ...(p.until ? { until: day(p.until) } : {}),
      }));
    categories.push('participation');
  } else withheld.push('organisations');
  if (may('title-and-conditions')) {
    body.legalTitles = state.titles.map((t) => ({
      what: TITLE_WORDS[t.kind],
      from: t.startDate,
      expectedEnd: t.expectedEndDate,
      ...(t.actualEndDate ? { ended: t.actualEndDate } : {}),
      conditions: t.conditions.map((c) => c.description),
    }));
    categories.push('title-and-conditions');
  } else withheld.push('legalTitles');
  if (may('consent')) {
    body.consents = state.consents.map((c) => ({
      id: c.id,
      who: c.recipient.kind === 'class' ? 'your relatives' : name(c.recipient.id),
      mayReceive: c.categories.map((k) => CATEGORY_WORDS[k]),
      purpose: c.purpose,
      from: day(c.validFrom),
      ...(c.validUntil ? { until: day(c.validUntil) } : {}),
      ...(c.revokedAt ? { withdrawn: day(c.revokedAt) } : {}),
    }));
    categories.push('consent');
  } else withheld.push('consents');
  return { body, categories };
}
