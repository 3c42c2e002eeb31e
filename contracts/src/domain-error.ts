/**
 * The one shape of a domain refusal, shared by every service's domain (plain TypeScript, no
 * framework) and mapped to problem+json in one place, libs/http (docs/adr/0016-http-edge.md):
 *
 *   kind           status   meaning
 *   not-found      404      no such thing, or not visible to the caller's organisation
 *   conflict       409      the current state or a business rule refuses the change
 *   forbidden      403      the caller may not do this
 *   unprocessable  422      well-formed input that contradicts itself or the domain's rules
 *
 * `code` is the stable slug of the problem `type`; `message` becomes the `detail`, `title` (or a
 * generic one per kind) the `title`, each finding an `errors` entry. None of them may carry
 * client data: they are shown to callers.
 */
export type DomainErrorKind = 'not-found' | 'conflict' | 'forbidden' | 'unprocessable';

export interface DomainErrorOptions {
  /** Short, the same for every occurrence of this code. */
  readonly title?: string;
  /** Extra problem members (e.g. `{ command: 'accept' }`); standard members cannot be overwritten. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

export class DomainError extends Error {
  readonly title: string | undefined;
  readonly extensions: Readonly<Record<string, string | number | boolean>>;

  constructor(
    readonly kind: DomainErrorKind,
    /** Stable slug, the last segment of the problem+json `type`. */
    readonly code: string,
    message: string,
    /** Individual findings (e.g. every reason a consent record is unacceptable). */
    readonly errors: readonly string[] = [],
    options: DomainErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.title = options.title;
    this.extensions = options.extensions ?? {};
  }
}
