import {
  ForbiddenException,
  Inject,
  Injectable,
  Logger,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './auth.constants';
import { ORGANISATION_DIRECTORY, type OrganisationDirectory } from './organisation-directory';
import type { RequestWithPrincipal } from './principal-request';

/**
 * Global guard, after JwtAuthGuard and RolesGuard: a token acting for an organisation is
 * honoured only while that organisation is registered and active in the registry (403
 * otherwise). Client and relative tokens act for no organisation and pass; their trajectory
 * binding is checked by the route. Fails closed: a non-public route reached without a
 * principal is refused. Installed by AuthModule (order guaranteed):
 *
 *   AuthModule.forRoot({}, {
 *     organisationDirectory: { inject: [DataSource], useFactory: (ds) => new MyDirectory(ds) },
 *   })
 */
@Injectable()
export class RegisteredOrganisationGuard implements CanActivate {
  private readonly logger = new Logger(RegisteredOrganisationGuard.name);

  constructor(
    private readonly reflector: Reflector,
    @Inject(ORGANISATION_DIRECTORY) private readonly directory: OrganisationDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
    if (!principal) throw new UnauthorizedException('Authentication required');
    if (principal.kind !== 'organisation') return true;
    if (await this.directory.isActive(principal.organisationId, new Date())) return true;
    this.logger.warn(`Token for an unregistered or inactive organisation refused`);
    throw new ForbiddenException('Your organisation is not registered or not active');
  }
}
