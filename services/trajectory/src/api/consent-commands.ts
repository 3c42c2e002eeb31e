import type { DataCategory } from '@ketenlink/contracts';
import type { ConsentRecipient } from '@ketenlink/consent';
import type { CaseCommand } from '../domain/authority';
import type { RecordConsentDto, RevokeConsentDto } from './case-records.dto';

/** The record-consent command from a validated request (organisation and client views alike). */
export function recordConsentCommand(id: string, body: RecordConsentDto): CaseCommand {
  return {
    type: 'record-consent',
    consent: {
      id,
      recipient: body.recipient as ConsentRecipient,
      categories: body.categories as DataCategory[],
      purpose: body.purpose,
      legalBasis: body.legalBasis,
      validFrom: body.validFrom ? new Date(body.validFrom) : new Date(),
      ...(body.validUntil ? { validUntil: new Date(body.validUntil) } : {}),
      onWordOf: body.onWordOf,
      ...(body.evidenceReference ? { evidenceReference: body.evidenceReference } : {}),
      ...(body.covenant ? { covenant: body.covenant } : {}),
    },
  };
}

export function revokeConsentCommand(consentId: string, body: RevokeConsentDto): CaseCommand {
  return {
    type: 'revoke-consent',
    consentId,
    ...(body.revokedAt ? { at: new Date(body.revokedAt) } : {}),
    ...(body.onWordOf ? { onWordOf: body.onWordOf } : {}),
  };
}
