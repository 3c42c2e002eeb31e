/** Injection token for the AuthConfig used by AuthModule. */
export const AUTH_CONFIG = Symbol('ketenlink.auth.config');

/**
 * Route metadata read by JwtAuthGuard. DO NOT CHANGE: libs/observability sets the same
 * key on its health routes without depending on this library (guarded by a test).
 */
export const IS_PUBLIC_KEY = 'ketenlink:public';
export const ROLES_KEY = 'ketenlink:auth:roles';
