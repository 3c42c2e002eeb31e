import { ClientDataView } from '@ketenlink/disclosure';
import { type Agreement, inForce, latest, statusOf, type Terms } from '../domain/agreement';

/**
 * The client's own view of his agreement, in plain language (issue 11 §6): what he agreed to,
 * who he turns to, how often he sees whom, and whether his signature is awaited.
 */
export const OWN_AGREEMENT_VIEW = ClientDataView.of({
  agreementId: 'metadata',
  status: 'metadata',
  summary: 'metadata',
  version: 'metadata',
  awaitingYourSignature: 'metadata',
  youSigned: 'metadata',
  conditions: {
    category: 'title-and-conditions',
    arrayOf: {
      conditionId: 'metadata',
      what: 'title-and-conditions',
      rule: 'title-and-conditions',
      from: 'title-and-conditions',
    },
  },
  whatYourSupportWorkerReports: 'title-and-conditions',
  contact: 'title-and-conditions',
  talks: 'title-and-conditions',
  yourGoals: 'plan-and-goals',
  probationGoals: 'plan-and-goals',
  whoHelpsWithWhat: 'plan-and-goals',
  firstPointOfContact: 'general-information',
  houseRules: 'plan-and-goals',
});

const CONDITION_WORDS: Record<string, string> = {
  abstinence: 'No alcohol or drugs',
  treatment: 'Treatment',
  housing: 'Where you live',
  'location-ban': 'Places you may not go',
  'contact-ban': 'People you may not contact',
  'reporting-duty': 'Reporting to probation',
  'daytime-activity': 'Daytime activity',
  other: 'Other agreement',
};
const SOURCE_WORDS: Record<string, string> = {
  'court-decision': 'the court decided this',
  'prosecutor-decision': 'the public prosecutor decided this',
  'parole-decision': 'the parole decision says this',
  'title-registration': 'this comes with your sentence',
  agreement: 'you agreed on this together',
};
const TRIGGER_WORDS: Record<string, string> = {
  'condition-violation': 'when a condition is not kept',
  'rising-risk': 'when things are getting risky',
  'positive-urine-check': 'a positive urine check',
  'risk-raising-life-event': 'big changes in your life',
  other: 'other things',
};
const every = (i: { count: number; unit: string }) =>
  i.count === 1 ? `every ${i.unit}` : `every ${i.count} ${i.unit}s`;
const WHO: Record<string, string> = {
  client: 'you',
  probation: 'your probation officer',
  provider: 'your support worker',
  other: 'someone else',
};

function plain(terms: Terms) {
  return {
    conditions: terms.conditions.map((c) => ({
      conditionId: c.conditionId,
      what: CONDITION_WORDS[c.type] ?? c.type,
      rule: c.text,
      from: SOURCE_WORDS[c.source] ?? c.source,
    })),
    whatYourSupportWorkerReports: terms.notificationTriggers.map(
      (t) =>
        `Your support worker tells your probation officer about ${TRIGGER_WORDS[t.kind] ?? t.kind}: ${t.description}`,
    ),
    contact: terms.contactFrequencies.map((f) =>
      f.between === 'client-officer'
        ? `You meet your probation officer ${every(f.every)}.`
        : `Your support worker and your probation officer talk ${every(f.every)}.`,
    ),
    talks: `You, your support worker and your probation officer talk together ${every(terms.driegesprek.every)}${
      terms.driegesprek.firstOn ? `, starting ${terms.driegesprek.firstOn}` : ''
    }. This agreement is looked at again on ${terms.driegesprek.nextReviewOn}.`,
    yourGoals: terms.clientGoals,
    probationGoals: terms.probationGoals,
    whoHelpsWithWhat: terms.lifeAreaOwners.map(
      (o) =>
        `${o.lifeArea.replace(/-/g, ' ')}: ${WHO[o.owner] ?? o.owner}${o.note ? ` (${o.note})` : ''}`,
    ),
    firstPointOfContact: `With questions, go first to ${WHO[terms.firstPointOfContact.party]}${
      terms.firstPointOfContact.role
        ? ` (${terms.firstPointOfContact.role.replace(/-/g, ' ')})`
        : ''
    } at ${terms.firstPointOfContact.organisationId}.`,
    houseRules: terms.houseRules,
  };
}

export function ownAgreementBody(a: Agreement): Record<string, unknown> {
  const status = statusOf(a);
  // The version the client needs to know: the one awaiting his signature, else the one in force.
  const v =
    status === 'draft' || status === 'amendment-pending' ? latest(a) : (inForce(a) ?? latest(a));
  const youSigned = v.signatures.some((s) => s.party === 'client');
  const awaiting =
    a.basis === 'signed-agreement' && !v.activatedAt && !youSigned && status !== 'terminated';
  const summary =
    status === 'terminated'
      ? `This agreement ended on ${a.termination!.on}.`
      : a.basis === 'recorded-talk'
        ? 'These are the agreements from your talk with your support worker and probation officer. You do not need to sign them.'
        : awaiting
          ? `Please read version ${v.version} of your agreement and sign it if you agree.`
          : v.activatedAt
            ? `Your agreement (version ${v.version}) is in force.`
            : `You signed version ${v.version}; it starts when everyone has signed.`;
  return {
    agreementId: a.id,
    status,
    summary,
    version: v.version,
    awaitingYourSignature: awaiting,
    youSigned,
    ...plain(v.terms),
  };
}
