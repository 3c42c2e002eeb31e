/**
 * @ketenlink/disclosure: the one disclosure gate (libs/disclosure/README.md, ADR 0020).
 * Policy decision (libs/consent) + roles inside the organisation + field filter by data
 * category (contracts) + access-log port. Every read path that returns client data uses it.
 */
export {
  type ClientReader,
  isStaff,
  type PrincipalLike,
  readerOf,
  staffReaderOf,
  type Reader,
  readerKindOf,
  recipientOf,
  type RelativeReader,
  type StaffReader,
} from './reader';
export { TOKEN_ROLE_VIEWS, tokenRoleView } from './token-role-views';
export {
  basesOf,
  type DisclosureGrant,
  type Entitlement,
  entitlementOf,
  type TrajectoryFacts,
} from './entitlement';
export { REFERRAL_CATEGORIES, type Referral, referralGrantOf } from './referral';
export { ClientDataView, type FilteredView, type ViewField, type ViewShape } from './view';
export { ACCESS_LOG_PORT, type AccessLogPort, type AccessRecord } from './access-log.port';
export { DisclosureRefusedError, NotVisibleError } from './errors';
export { type Disclosed, DisclosureGate, type DisclosureRequest, passedTheGate } from './gate';
export {
  DISCLOSURE_ROUTE_KEY,
  DisclosesClientData,
  GatedAnswerInterceptor,
  MetadataOnly,
  type RouteInfo,
  type RouteMark,
  routesOf,
  RUNTIME_METADATA_ROUTES,
  ungatedRoutes,
} from './route-marks';
