import { DomainError } from '@ketenlink/contracts';

/**
 * A handover the caller's organisation is no party to, or that does not exist: 404 for both. A
 * trajectory named in a request body that the sender does not take part in is 422 (the request,
 * not the URL, is wrong).
 */
export class NotFoundError extends DomainError {
  constructor(readonly what: 'handover' | 'trajectory') {
    super(
      what === 'trajectory' ? 'unprocessable' : 'not-found',
      what === 'trajectory' ? 'unknown-trajectory' : 'handover-not-found',
      what === 'trajectory'
        ? 'Your organisation takes part in no trajectory with this id.'
        : 'No handover with this id is visible to your organisation.',
      [],
      { title: what === 'trajectory' ? 'Unknown trajectory' : 'Handover not found' },
    );
  }
}

/** The receiving organisation cannot receive: not registered, not active, not a care provider. */
export class ReceiverRefusedError extends DomainError {
  constructor(code: string, message: string) {
    super('unprocessable', code, message, [], { title: 'Receiving organisation refused' });
  }
}
