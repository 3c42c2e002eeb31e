/**
 * The organisation registry (issue 10; docs/adr/0019-authority-over-policy-inputs.md): which
 * organisations exist in the chain, of what kind, with which national identifiers, over which
 * period. A participation role must fit the organisation's kind. Plain TypeScript.
 */
import type { OrganisationChangedV1 } from '@ketenlink/contracts';
import type { ParticipantRole } from '@ketenlink/consent';
import { isIsoDate } from '@ketenlink/dates';
import { DomainError } from './errors';

export const ORGANISATION_KINDS = [
  'care-provider',
  'probation-service',
  'zvh',
  'placing-authority',
  'prison',
  'municipality',
  /** The platform's own operators, auditors and registry administrators. */
  'platform',
] as const satisfies readonly OrganisationChangedV1['kind'][];
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/**
 * Which participation roles fit which kind of organisation. Anything not listed is refused:
 * a ZVH cannot take part as a provider, a municipality not as probation, the platform not at all.
 */
export const ROLES_FOR_KIND: Readonly<Record<OrganisationKind, readonly ParticipantRole[]>> = {
  'care-provider': ['provider', 'receiving-provider', 'referrer'],
  'probation-service': ['probation', 'referrer'],
  zvh: ['zvh'],
  'placing-authority': ['referrer'],
  prison: ['referrer'],
  municipality: ['referrer'],
  platform: [],
};

export interface OrganisationIdentifiers {
  /** UZI-register abonneenummer (care providers), 8 digits. */
  readonly ura?: string;
  /** Organisatie-identificatienummer (government), 20 digits. */
  readonly oin?: string;
  /** Chamber of Commerce number, 8 digits. */
  readonly kvk?: string;
}

export interface Organisation {
  readonly id: string;
  readonly kind: OrganisationKind;
  readonly name: string;
  readonly identifiers: OrganisationIdentifiers;
  /** First active day (YYYY-MM-DD). */
  readonly activeFrom: string;
  /** Last active day, inclusive (YYYY-MM-DD); absent while open. */
  readonly activeUntil?: string;
}

const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;
const IDENTIFIER_FORMAT: Record<keyof OrganisationIdentifiers, RegExp> = {
  ura: /^[0-9]{8}$/,
  oin: /^[0-9]{20}$/,
  kvk: /^[0-9]{8}$/,
};

/** Active on calendar date `date` (YYYY-MM-DD). */
export function isActiveOn(org: Organisation, date: string): boolean {
  return org.activeFrom <= date && (org.activeUntil === undefined || date <= org.activeUntil);
}

/** The errors that make an entry unacceptable (empty: acceptable). */
export function organisationErrors(org: Organisation): string[] {
  const errors: string[] = [];
  if (!ORGANISATION_ID.test(org.id)) {
    errors.push('id must be lower case letters, digits and hyphens');
  }
  if (!(ORGANISATION_KINDS as readonly string[]).includes(org.kind)) {
    errors.push(`kind must be one of ${ORGANISATION_KINDS.join(', ')}`);
  }
  if (typeof org.name !== 'string' || org.name.trim() === '' || org.name.length > 200) {
    errors.push('name must be 1 to 200 characters');
  }
  for (const [key, value] of Object.entries(org.identifiers ?? {})) {
    if (value === undefined) continue;
    const format = IDENTIFIER_FORMAT[key as keyof OrganisationIdentifiers];
    if (!format) errors.push(`unknown identifier ${key}`);
    else if (typeof value !== 'string' || !format.test(value)) {
      errors.push(`identifiers.${key} has the wrong format`);
    }
  }
  if (!isIsoDate(org.activeFrom)) errors.push('activeFrom must be a date (YYYY-MM-DD)');
  if (org.activeUntil !== undefined && !isIsoDate(org.activeUntil)) {
    errors.push('activeUntil must be a date (YYYY-MM-DD)');
  }
  if (errors.length === 0 && org.activeUntil !== undefined && org.activeUntil < org.activeFrom) {
    errors.push('activeUntil lies before activeFrom');
  }
  return errors;
}

export function assertValidOrganisation(org: Organisation): Organisation {
  const errors = organisationErrors(org);
  if (errors.length > 0) {
    throw new DomainError(
      'unprocessable',
      'invalid-organisation',
      'The organisation is invalid',
      errors,
    );
  }
  return org;
}

/** The registry event payload for an entry (the complete entry; the name stays in the registry). */
export function organisationPayload(org: Organisation): OrganisationChangedV1 {
  return {
    organisationId: org.id,
    kind: org.kind,
    identifiers: { ...org.identifiers },
    activeFrom: org.activeFrom,
    ...(org.activeUntil ? { activeUntil: org.activeUntil } : {}),
  };
}

/**
 * `role` may be taken by `organisationId` from `date` on: the organisation is registered, active
 * that day, and of a kind the role fits. Throws 403 (forbidden) otherwise.
 */
export function assertRoleFits(
  org: Organisation | undefined,
  organisationId: string,
  role: ParticipantRole,
  date: string,
): void {
  if (!org) {
    throw new DomainError(
      'forbidden',
      'organisation-not-registered',
      'The organisation is not in the organisation registry',
      [`${organisationId} is not registered`],
    );
  }
  if (!isActiveOn(org, date)) {
    throw new DomainError(
      'forbidden',
      'organisation-not-active',
      'The organisation is not active on that date',
      [`${organisationId} is active ${org.activeFrom} – ${org.activeUntil ?? 'open'}`],
    );
  }
  if (!ROLES_FOR_KIND[org.kind].includes(role)) {
    throw new DomainError(
      'forbidden',
      'role-does-not-fit-organisation',
      'This role does not fit the kind of organisation',
      [
        `a ${org.kind} may take part as ${ROLES_FOR_KIND[org.kind].join(', ') || 'nothing'}, not as ${role}`,
      ],
    );
  }
}
