/**
 * The organisation registry as the edge needs it (docs/adr/0019-authority-over-policy-inputs.md).
 * A service implements it over its own copy of the registry (the trajectory service keeps the
 * registry; other services project its `organisation.registered` / `organisation.changed`
 * events) and provides it under ORGANISATION_DIRECTORY.
 */
export interface OrganisationDirectory {
  /** Whether the organisation is registered and active at `at`. */
  isActive(organisationId: string, at: Date): Promise<boolean>;
}

/** Injection token for the service's OrganisationDirectory. */
export const ORGANISATION_DIRECTORY = Symbol('ketenlink.auth.organisation-directory');
