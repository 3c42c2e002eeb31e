import { DomainError } from '@ketenlink/contracts';

/**
 * Domain errors of the handover service, in the shared DomainError shape the HTTP edge maps to
 * problem+json (libs/http): a command the current state or the acting party refuses is 409
 * (nothing changed, nothing emitted), inconsistent input 422.
 */
export class IllegalHandoverTransitionError extends DomainError {
  constructor(
    readonly command: string,
    readonly status: string,
  ) {
    super(
      'conflict',
      'illegal-handover-transition',
      `cannot ${command} a handover that is ${status}`,
      [],
      {
        title: 'Not allowed in this state',
        extensions: { command, handoverStatus: status },
      },
    );
  }
}

/**
 * The acting organisation is a party to the handover, but not the one this command belongs to
 * (e.g. the sender accepting its own request): 409, the handover's roles refuse it.
 */
export class WrongPartyError extends DomainError {
  constructor(
    readonly command: string,
    readonly party: 'sending' | 'receiving',
  ) {
    super(
      'conflict',
      'wrong-handover-party',
      `only the ${party} organisation may ${command} a handover`,
      [],
      {
        title: 'Not your side of the handover',
        extensions: { command, party },
      },
    );
  }
}

/** A rule of the domain refuses the change (e.g. completion without a closing report). */
export class HandoverConflictError extends DomainError {
  constructor(code: string, message: string) {
    super('conflict', code, message, [], { title: 'Handover rule refuses this change' });
  }
}

/** The request contradicts itself or the domain (e.g. a planned date in the past). */
export class InvalidHandoverInputError extends DomainError {
  constructor(code: string, message: string) {
    super('unprocessable', code, message, [], { title: 'Inconsistent handover data' });
  }
}
