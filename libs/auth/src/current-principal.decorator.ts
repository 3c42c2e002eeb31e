import { createParamDecorator, UnauthorizedException, type ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal';
import type { RequestWithPrincipal } from './principal-request';

/** Injects the authenticated Principal; throws 401 if the route ran without one (a @Public route). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (!principal) throw new UnauthorizedException('Authentication required');
    return principal;
  },
);
