/** Why a bearer token was refused. Stable codes: safe to log, to count and to show. */
export type TokenRejectionReason =
  | 'malformed'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_signature'
  | 'unknown_key'
  | 'algorithm_not_allowed'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'invalid_claims'
  | 'lifetime_too_long'
  | 'keys_unavailable';

/** Thrown by TokenVerifier. The message is short and never contains the token. */
export class TokenVerificationError extends Error {
  override readonly name = 'TokenVerificationError';

  constructor(
    readonly reason: TokenRejectionReason,
    message: string,
  ) {
    super(message);
  }
}
