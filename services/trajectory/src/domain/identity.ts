import { isValidBsn } from './bsn';
import { isIsoDate } from '@ketenlink/dates';
import { DomainError } from './errors';

/**
 * The client's identity: kept in this service's vault only, encrypted at rest, never in an
 * event, a log line or a trace. Everywhere else the pseudonymous trajectory id stands in.
 */
export interface ClientIdentity {
  readonly bsn: string;
  readonly name: string;
  /** `YYYY-MM-DD` */
  readonly dateOfBirth: string;
}

/**
 * Checks an identity before it is stored. The messages never repeat the values: an error
 * message travels into logs and problem responses.
 */
export function assertValidIdentity(identity: ClientIdentity, today: string): ClientIdentity {
  const errors: string[] = [];
  if (!isValidBsn(identity.bsn)) errors.push('bsn must be 9 digits that pass the elfproef');
  const name = typeof identity.name === 'string' ? identity.name.trim() : '';
  if (name.length < 1 || name.length > 200) errors.push('name must be 1 to 200 characters');
  if (!isIsoDate(identity.dateOfBirth)) errors.push('dateOfBirth must be a date (YYYY-MM-DD)');
  else if (identity.dateOfBirth > today) errors.push('dateOfBirth lies in the future');
  else if (identity.dateOfBirth < '1900-01-01') errors.push('dateOfBirth is before 1900');
  if (errors.length > 0) {
    throw new DomainError(
      'unprocessable',
      'invalid-identity',
      'The client identity is invalid',
      errors,
    );
  }
  return { bsn: identity.bsn, name, dateOfBirth: identity.dateOfBirth };
}
