// Public API of @ketenlink/auth (docs/adr/0005-auth-and-http-edge.md).
//
//   @Module({ imports: [AuthModule.forRoot()], controllers: [...] })   // app.module.ts
//   @Roles('coordinator') @Get(':id') get(@CurrentPrincipal() p: Principal) {...}
//   @Public() on health routes. Dev tokens: `npm run token -- --org o --roles r --sub s`.
export {
  PRINCIPAL_KINDS,
  ROLES,
  isDataSubjectSide,
  isPrincipalKind,
  isRole,
  type Principal,
  type PrincipalKind,
  type Role,
} from './principal';
export { ORGANISATION_DIRECTORY, type OrganisationDirectory } from './organisation-directory';
export {
  DEFAULT_ALGORITHMS,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  defaultDevKeyFile,
  loadAuthConfig,
  type AuthConfig,
  type AuthKeySource,
} from './auth-config';
export { TokenVerifier } from './token-verifier';
export { TokenVerificationError, type TokenRejectionReason } from './token-verification.error';
export { extractBearerToken } from './bearer-token';
export { mintDevToken, type MintDevTokenOptions } from './mint-dev-token';
export { ensureDevKey, readDevPublicKey, type DevKeyFile } from './dev-key';

// NestJS
export { AuthModule, type AuthModuleOptions } from './auth.module';
export { AUTH_CONFIG, IS_PUBLIC_KEY, ROLES_KEY } from './auth.constants';
export { JwtAuthGuard } from './jwt-auth.guard';
export { RolesGuard } from './roles.guard';
export { RegisteredOrganisationGuard } from './registered-organisation.guard';
export { Public } from './public.decorator';
export { Roles } from './roles.decorator';
export { CurrentPrincipal } from './current-principal.decorator';
export type { RequestWithPrincipal } from './principal-request';
