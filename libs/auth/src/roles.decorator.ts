import { SetMetadata } from '@nestjs/common';
import { ROLES_KEY } from './auth.constants';
import type { Role } from './principal';

/**
 * The caller needs at least one of these roles (403 otherwise). On a handler it
 * replaces, not extends, the roles given on its controller.
 */
export const Roles = (...roles: [Role, ...Role[]]): ClassDecorator & MethodDecorator =>
  SetMetadata(ROLES_KEY, roles);
