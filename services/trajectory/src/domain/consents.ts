import { validateConsent } from '@ketenlink/consent';
import { DomainError } from './errors';
import {
  type CommandResult,
  type ConsentEntry,
  CONSENT_SOURCES,
  type TrajectoryState,
} from './trajectory';

/**
 * A consent record is added (R-CONSENT). The policy module's own check decides whether it is
 * acceptable; a record that overlaps another one for the same recipient and category is a
 * conflict (the existing one must be withdrawn or end first), anything else is invalid.
 */
export function recordConsent(state: TrajectoryState, consent: ConsentEntry): CommandResult {
  const errors = validateConsent(consent, state.consents);
  if (!(CONSENT_SOURCES as readonly string[]).includes(consent.onWordOf)) {
    errors.push(`onWordOf must be one of ${CONSENT_SOURCES.join(', ')}`);
  }
  const overlaps = errors.filter((e) => e.startsWith('overlaps '));
  if (errors.length > overlaps.length) {
    throw new DomainError(
      'unprocessable',
      'invalid-consent',
      'The consent record is invalid',
      errors.filter((e) => !e.startsWith('overlaps ')),
    );
  }
  if (overlaps.length > 0) {
    throw new DomainError(
      'conflict',
      'consent-overlaps',
      'A consent record for the same recipient and category is already in force in that period',
      overlaps,
    );
  }
  return {
    changes: [{ kind: 'consent-added', consent }],
    events: [
      {
        type: 'nl.ketenlink.consent.granted.v1',
        data: {
          trajectoryId: state.trajectory.id,
          consentId: consent.id,
          recipient: { kind: consent.recipient.kind, id: consent.recipient.id },
          categories: [...consent.categories],
          purpose: consent.purpose,
          legalBasis: consent.legalBasis,
          validFrom: consent.validFrom.toISOString(),
          ...(consent.validUntil ? { validUntil: consent.validUntil.toISOString() } : {}),
        },
      },
    ],
  };
}

/**
 * Withdrawal: from `at` on the record grants nothing. It takes effect now or is recorded late
 * (at in the past); a future end is what validUntil is for.
 */
export function revokeConsent(
  state: TrajectoryState,
  consentId: string,
  at: Date,
  now: Date,
): CommandResult {
  const consent = state.consents.find((c) => c.id === consentId);
  if (!consent) throw new DomainError('not-found', 'consent-not-found', 'No such consent record');
  if (consent.revokedAt !== undefined) {
    throw new DomainError(
      'conflict',
      'consent-revoked',
      'This consent record was already withdrawn',
      [`withdrawn at ${consent.revokedAt.toISOString()}`],
    );
  }
  if (Number.isNaN(at.getTime())) {
    throw new DomainError('unprocessable', 'invalid-consent', 'revokedAt must be a date-time');
  }
  // A stated time lies between the record's start and now; "now" itself is always allowed
  // (a record that has not started yet is withdrawn before it ever grants anything).
  if (at.getTime() < consent.validFrom.getTime() && at.getTime() !== now.getTime()) {
    throw new DomainError(
      'unprocessable',
      'withdrawal-before-start',
      "A withdrawal cannot lie before the record's start",
      [`the record starts at ${consent.validFrom.toISOString()}`],
    );
  }
  if (at.getTime() > now.getTime()) {
    throw new DomainError(
      'unprocessable',
      'invalid-consent',
      'A withdrawal takes effect now or in the past; use validUntil for a planned end',
    );
  }
  return {
    changes: [{ kind: 'consent-revoked', id: consent.id, revokedAt: at }],
    events: [
      {
        type: 'nl.ketenlink.consent.revoked.v1',
        data: { trajectoryId: state.trajectory.id, consentId, revokedAt: at.toISOString() },
      },
    ],
  };
}
