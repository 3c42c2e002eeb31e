export { ROLES, isRole, type Principal, type Role } from './principal';
export {
  DEFAULT_ALGORITHMS,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
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
export { AuthModule } from './auth.module';
export { AUTH_CONFIG } from './auth.constants';
export { JwtAuthGuard } from './jwt-auth.guard';
export { RolesGuard } from './roles.guard';
export { Public } from './public.decorator';
export { Roles } from './roles.decorator';
export { CurrentPrincipal } from './current-principal.decorator';
export type { RequestWithPrincipal } from './principal-request';
