/** Injection token for the AuthConfig used by AuthModule. */
export const AUTH_CONFIG = Symbol('ketenlink.auth.config');

export const IS_PUBLIC_KEY = 'ketenlink:auth:public';
export const ROLES_KEY = 'ketenlink:auth:roles';
