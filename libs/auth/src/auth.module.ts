import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { loadAuthConfig, type AuthConfig } from './auth-config';
import { AUTH_CONFIG } from './auth.constants';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RolesGuard } from './roles.guard';
import { TokenVerifier } from './token-verifier';

/**
 * Import once in a service's root module: `AuthModule.forRoot()`. Every HTTP
 * route then requires a bearer token (opt out with @Public()) and honours @Roles().
 * Configuration comes from the environment (loadAuthConfig), overridden by `config`.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Partial<AuthConfig> = {}): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        {
          provide: AUTH_CONFIG,
          useFactory: (): AuthConfig => ({ ...loadAuthConfig(), ...config }),
        },
        {
          provide: TokenVerifier,
          useFactory: (authConfig: AuthConfig) => new TokenVerifier(authConfig),
          inject: [AUTH_CONFIG],
        },
        // Order matters: authentication first, then the role check.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
      exports: [AUTH_CONFIG, TokenVerifier],
    };
  }
}
