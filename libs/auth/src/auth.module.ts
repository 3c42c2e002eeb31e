import { Module, type DynamicModule, type InjectionToken, type Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { loadAuthConfig, type AuthConfig } from './auth-config';
import { AUTH_CONFIG } from './auth.constants';
import { JwtAuthGuard } from './jwt-auth.guard';
import { ORGANISATION_DIRECTORY, type OrganisationDirectory } from './organisation-directory';
import { RegisteredOrganisationGuard } from './registered-organisation.guard';
import { RolesGuard } from './roles.guard';
import { TokenVerifier } from './token-verifier';

export interface AuthModuleOptions {
  /**
   * The service's organisation registry: when given, a token acting for an organisation that is
   * not registered and active gets 403 (RegisteredOrganisationGuard, after the role check).
   * The factory runs in this global module, so inject only global providers (e.g. DataSource).
   */
  organisationDirectory?: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    useFactory: (...args: any[]) => OrganisationDirectory;
    inject?: InjectionToken[];
  };
}

/**
 * Import once in a service's root module: `AuthModule.forRoot()`. Every HTTP
 * route then requires a bearer token (opt out with @Public()) and honours @Roles().
 * Configuration comes from the environment (loadAuthConfig), overridden by `config`.
 */
@Module({})
export class AuthModule {
  static forRoot(config: Partial<AuthConfig> = {}, options: AuthModuleOptions = {}): DynamicModule {
    const directory: Provider[] = options.organisationDirectory
      ? [
          {
            provide: ORGANISATION_DIRECTORY,
            useFactory: options.organisationDirectory.useFactory,
            inject: options.organisationDirectory.inject ?? [],
          },
          { provide: APP_GUARD, useClass: RegisteredOrganisationGuard },
        ]
      : [];
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
        ...directory,
      ],
      exports: [AUTH_CONFIG, TokenVerifier],
    };
  }
}
