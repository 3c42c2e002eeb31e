import {
  Injectable,
  Logger,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './auth.constants';
import { extractBearerToken } from './bearer-token';
import type { RequestWithPrincipal } from './principal-request';
import { TokenVerificationError } from './token-verification.error';
import { TokenVerifier } from './token-verifier';

const REALM = 'ketenlink';

/**
 * Global guard (installed by AuthModule): every HTTP route needs a valid bearer
 * token unless marked @Public(). Puts the Principal on `request.principal`.
 * Message handlers (Kafka) are not HTTP and are left alone.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger(JwtAuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithPrincipal>();
    const response = http.getResponse<unknown>();
    const bearer = extractBearerToken(request.headers.authorization);
    if (!bearer.ok) {
      if (bearer.missing) {
        setHeader(response, 'WWW-Authenticate', `Bearer realm="${REALM}"`);
        throw new UnauthorizedException('Bearer token required');
      }
      throw this.invalidToken(response, 'Malformed Authorization header');
    }

    try {
      request.principal = await this.verifier.verify(bearer.token);
      return true;
    } catch (error) {
      if (!(error instanceof TokenVerificationError)) throw error;
      if (error.reason === 'keys_unavailable') {
        this.logger.error(`Cannot verify bearer tokens: ${error.message}`);
        throw new ServiceUnavailableException('Token verification temporarily unavailable');
      }
      this.logger.debug(`Bearer token refused: ${error.reason}`);
      throw this.invalidToken(response, error.message);
    }
  }

  private invalidToken(response: unknown, reason: string): UnauthorizedException {
    setHeader(
      response,
      'WWW-Authenticate',
      `Bearer realm="${REALM}", error="invalid_token", error_description="${reason}"`,
    );
    return new UnauthorizedException(reason);
  }
}

/** Works for Express (`setHeader`) and Fastify (`header`) replies. */
function setHeader(response: unknown, name: string, value: string): void {
  const res = response as {
    setHeader?: (n: string, v: string) => void;
    header?: (n: string, v: string) => void;
  };
  if (typeof res.setHeader === 'function') res.setHeader(name, value);
  else if (typeof res.header === 'function') res.header(name, value);
}
