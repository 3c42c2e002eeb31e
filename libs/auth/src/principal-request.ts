import type { Principal } from './principal';

/** The request after JwtAuthGuard: `principal` is set on every non-public route. */
export interface RequestWithPrincipal {
  principal?: Principal;
  headers: Record<string, string | string[] | undefined>;
}
