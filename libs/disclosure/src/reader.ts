import type { Recipient } from '@ketenlink/consent';

/**
 * Who reads, as the gate needs it. A staff member acts for an organisation with the roles of its
 * token; the client and a relative are bound to one trajectory. A verified token's Principal
 * (`{ subject, organisationId, roles }`) is a StaffReader as it stands; a client or relative
 * principal maps in one line (`{ kind: 'client', subject, trajectoryId }`).
 */
export type Reader = StaffReader | ClientReader | RelativeReader;

export interface StaffReader {
  /** `organisation` is libs/auth's word for the same (a token acting for an organisation). */
  readonly kind?: 'staff' | 'organisation';
  readonly subject: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
}

export interface ClientReader {
  readonly kind: 'client';
  readonly subject: string;
  /** The one trajectory that is his own. */
  readonly trajectoryId: string;
}

export interface RelativeReader {
  readonly kind: 'relative';
  readonly subject: string;
  /** The trajectory of the client whose relative this is. */
  readonly trajectoryId: string;
}

export function isStaff(reader: Reader): reader is StaffReader {
  return reader.kind === undefined || reader.kind === 'staff' || reader.kind === 'organisation';
}

/** A verified token's principal (libs/auth's shape, structurally) as the gate's reader. */
export interface PrincipalLike {
  readonly kind?: 'organisation' | 'client' | 'relative';
  readonly subject: string;
  readonly organisationId: string;
  readonly roles: readonly string[];
  readonly trajectoryId?: string;
}

export function readerOf(principal: PrincipalLike): Reader {
  if (principal.kind === 'client' || principal.kind === 'relative') {
    // A client or relative token without its trajectory claim is refused by libs/auth; an
    // empty id matches no trajectory here either.
    return {
      kind: principal.kind,
      subject: principal.subject,
      trajectoryId: principal.trajectoryId ?? '',
    };
  }
  return staffReaderOf(principal);
}

/** A principal acting for an organisation (routes guarded by organisation roles). */
export function staffReaderOf(principal: PrincipalLike): StaffReader {
  return {
    kind: 'staff',
    subject: principal.subject,
    organisationId: principal.organisationId,
    roles: principal.kind === 'client' || principal.kind === 'relative' ? [] : principal.roles,
  };
}

/**
 * The consent policy's recipient for this reader. A token holding `operator` acts for the
 * platform, not for a care organisation: metadata only, whatever else it holds.
 */
export function recipientOf(reader: Reader): Recipient {
  if (reader.kind === 'client') return { kind: 'client' };
  if (reader.kind === 'relative') return { kind: 'class', id: 'relatives' };
  if (reader.roles.includes('operator')) return { kind: 'operator' };
  return { kind: 'organisation', id: reader.organisationId };
}

/** Who, for the access log (no client data: ids and roles only). */
export function readerKindOf(reader: Reader): 'staff' | 'client' | 'relative' {
  return isStaff(reader) ? 'staff' : reader.kind;
}
