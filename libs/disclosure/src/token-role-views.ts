import { DATA_CATEGORIES, type DataCategory } from '@ketenlink/contracts';
import { ROLE_DEFAULTS } from '@ketenlink/consent';

const ALL: readonly DataCategory[] = DATA_CATEGORIES;
const ALL_BUT_IDENTITY: readonly DataCategory[] = DATA_CATEGORIES.filter((c) => c !== 'identity');

/**
 * Roles inside an organisation count: the most a user with this token role may see of what
 * its organisation is entitled to (the policy decides the organisation's entitlement; this
 * table cuts it to the user's work). A token's view is the union over its roles; a role not in
 * this table sees nothing. `operator` is not here: an operator token is the operator recipient
 * (metadata only) whatever else it holds.
 */
export const TOKEN_ROLE_VIEWS: Readonly<Record<string, readonly DataCategory[]>> = {
  coordinator: ALL,
  'zvh-coordinator': ALL,
  'probation-officer': ALL,
  'placement-officer': ALL,
  // Runs the support plan; the identity vault is not for this role.
  'support-worker': ALL_BUT_IDENTITY,
  // A referrer follows its referral: what the referrer role of libs/consent gets, even when
  // its organisation takes part in another role (a referrer user of a provider organisation
  // does not get the provider view).
  referrer: ROLE_DEFAULTS.referrer.categories,
  // Auditors read the access log, not the client data it describes.
  auditor: ['metadata'],
  // Keeps the organisation registry; no trajectory's client data.
  'registry-admin': ['metadata'],
  // An organisation's own system acts for the organisation (the partner gateway filters it).
  'partner-system': ALL_BUT_IDENTITY,
};

/** The categories a staff token's roles reach (union over its roles). */
export function tokenRoleView(roles: readonly string[]): ReadonlySet<DataCategory> {
  const out = new Set<DataCategory>();
  for (const role of roles) {
    if (!Object.prototype.hasOwnProperty.call(TOKEN_ROLE_VIEWS, role)) continue;
    for (const c of TOKEN_ROLE_VIEWS[role]!) out.add(c);
  }
  return out;
}
