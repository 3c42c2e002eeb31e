/**
 * Why a command was refused: the shared DomainError shape (@ketenlink/contracts), mapped by the
 * HTTP edge: `unprocessable` → 422 (400 for malformed input is the edge's job), `conflict` → 409,
 * `not-found` → 404, `forbidden` → 403. Nothing is stored when a domain error is thrown: commands
 * are pure and run before any write.
 */
export { DomainError, type DomainErrorKind } from '@ketenlink/contracts';
