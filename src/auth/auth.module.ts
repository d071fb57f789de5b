import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccessTokenService } from './access-token.service';
import { AccessGuard } from './access.guard';
import { ApiKeysController } from './api-keys.controller';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeysService } from './api-keys.service';
import { AuthCookies } from './auth-cookies';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialCache } from './credential-cache.service';
import { CredentialService } from './credential.service';
import { CsrfPolicy } from './csrf-policy';
import { PasswordHasher } from './password-hasher.service';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { RouteScopes } from './route-scopes.service';
import { ServiceAccountsRepository } from './service-accounts.repository';
import { UsersRepository } from './users.repository';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';

@Module({
  imports: [ProvisioningModule, DiscoveryModule],
  controllers: [AuthController, ApiKeysController],
  providers: [
    // Global guards run in the order registered: the rate limits after authentication, because the
    // tenant and API key limits count against the principal AccessGuard verified.
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    AccessTokenService,
    ApiKeysRepository,
    ApiKeysService,
    AuthCookies,
    AuthService,
    CredentialCache,
    CredentialService,
    CsrfPolicy,
    PasswordHasher,
    RefreshTokensRepository,
    RouteScopes,
    ServiceAccountsRepository,
    UsersRepository,
  ],
  exports: [PasswordHasher, ApiKeysRepository],
})
export class AuthModule {}
