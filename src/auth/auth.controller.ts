import { Body, Controller, Get, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { Authenticated, Public } from './access.decorators';
import { RateLimitName } from '../rate-limit/rate-limit.constants';
import { RateLimit } from '../rate-limit/rate-limit.decorators';
import { AuthCookies } from './auth-cookies';
import { AuthService, type IssuedAccess, type IssuedSession } from './auth.service';
import { LoginInput } from './dto/login.input';
import { Idempotency } from '../idempotency/idempotency.decorators';
import { SignupInput } from './dto/signup.input';
import { SignupOutput } from './dto/signup.output';
import { toAccountOutput } from '../provisioning/tenant-output';
import { RefreshInput } from './dto/refresh.input';
import { CurrentSessionOutput } from './dto/current-session.output';
import { AccessTokenOutput, SessionOutput } from './dto/session.output';
import { SwitchTenantInput } from './dto/switch-tenant.input';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuthErrorCode } from '../auth/auth.errors';
import { CommonErrorCode } from '../common/errors/common.errors';
import { ProvisioningErrorCode } from '../provisioning/provisioning.errors';

/** What login, signup, refresh and switch-tenant set, and logout clears (auth-cookies.ts). */
const SETS_COOKIES = {
  'Set-Cookie': {
    description: 'The `access_token` and `tenant_sig` cookies (HttpOnly, Secure, SameSite=Strict, Path=/, Max-Age = the token lifetime), for browsers.',
    schema: { type: 'string', maxLength: 4096, example: 'access_token=eyJhbGciOiJIUzI1NiJ9…; Max-Age=900; Path=/; HttpOnly; Secure; SameSite=Strict' },
  },
};
const CLEARS_COOKIES = {
  'Set-Cookie': {
    description: 'Clears the `access_token` and `tenant_sig` cookies (empty, Max-Age=0).',
    schema: { type: 'string', maxLength: 4096, example: 'access_token=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict' },
  },
};

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: AuthCookies,
  ) {}

  @Post('login')
  @Public()
  @RateLimit(RateLimitName.LOGIN_ACCOUNT, RateLimitName.LOGIN_IP)
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AuthErrorCode.INVALID_CREDENTIALS, AuthErrorCode.MEMBERSHIP_REQUIRED, AuthErrorCode.AUTH_BUSY)
  @ApiOperation({ operationId: 'login', summary: 'Sign in with email and password', security: [] })
  @ApiOkResponse({ type: SessionOutput, description: 'Also sets the access_token and tenant_sig cookies.', headers: SETS_COOKIES })
  async login(@Body() input: LoginInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionOutput> {
    return this.session(await this.auth.login(input.email, input.password, input.tenantId), reply);
  }

  @Post('signup')
  @Public()
  @Idempotency('email')
  @RateLimit(RateLimitName.SIGNUP)
  @HttpCode(HttpStatus.CREATED)
  @ApiErrors(AuthErrorCode.WEAK_PASSWORD, ProvisioningErrorCode.EMAIL_TAKEN, ProvisioningErrorCode.TENANT_SLUG_TAKEN, ProvisioningErrorCode.INVALID_TENANT_FIELD, ProvisioningErrorCode.PROVISIONING_FAILED, AuthErrorCode.AUTH_BUSY, CommonErrorCode.CONFLICT)
  @ApiOperation({ operationId: 'signup', summary: 'Create an account and its tenant (segment, packages, first API key), signed in', security: [] })
  @ApiCreatedResponse({ type: SignupOutput, description: 'Also sets the access_token and tenant_sig cookies.', headers: SETS_COOKIES })
  async signup(@Body() input: SignupInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<SignupOutput> {
    const { provisioned, ...issued } = await this.auth.signup(input);
    return {
      ...this.session(issued, reply),
      // The tenant's own view (no operator fields), and no hash of anything.
      tenant: toAccountOutput(provisioned.tenant),
      segment: provisioned.segment,
      packages: provisioned.packages,
      apiKey: provisioned.apiKey,
    };
  }

  @Post('refresh')
  @Public()
  @RateLimit(RateLimitName.REFRESH)
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AuthErrorCode.REFRESH_TOKEN_INVALID, CommonErrorCode.CONFLICT)
  @ApiOperation({ operationId: 'refreshSession', summary: 'Exchange a refresh token for a new pair (single use)', security: [] })
  @ApiOkResponse({ type: SessionOutput, description: 'Also sets the access_token and tenant_sig cookies.', headers: SETS_COOKIES })
  async refresh(@Body() input: RefreshInput, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionOutput> {
    return this.session(await this.auth.refresh(input.refreshToken), reply);
  }

  @Post('logout')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(AuthErrorCode.FORBIDDEN)
  @ApiOperation({ operationId: 'logout', summary: 'End this session (its refresh and access tokens)' })
  @ApiNoContentResponse({ description: 'Signed out; the session cookies are cleared.', headers: CLEARS_COOKIES })
  async logout(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logout(principal);
    this.cookies.clear(reply);
  }

  @Post('logout-all')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(AuthErrorCode.FORBIDDEN)
  @ApiOperation({ operationId: 'logoutAll', summary: 'End every session of this user, on every device' })
  @ApiNoContentResponse({ description: 'Signed out; the session cookies are cleared.', headers: CLEARS_COOKIES })
  async logoutAll(@CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    await this.auth.logoutAll(principal);
    this.cookies.clear(reply);
  }

  @Get('session')
  @Authenticated()
  @ApiErrors(AuthErrorCode.FORBIDDEN)
  @ApiOperation({ operationId: 'getSession', summary: 'Who you are signed in as: tenant, live role, platform scopes and memberships' })
  @ApiOkResponse({ type: CurrentSessionOutput })
  current(@CurrentPrincipal() principal: Principal): Promise<CurrentSessionOutput> {
    return this.auth.currentSession(principal);
  }

  @Post('switch-tenant')
  @Authenticated()
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AuthErrorCode.FORBIDDEN, AuthErrorCode.MEMBERSHIP_REQUIRED)
  @ApiOperation({ operationId: 'switchTenant', summary: 'Get an access token for another tenant you are a member of' })
  @ApiOkResponse({ type: AccessTokenOutput, description: 'Also sets the access_token and tenant_sig cookies.', headers: SETS_COOKIES })
  async switchTenant(
    @CurrentPrincipal() principal: Principal,
    @Body() input: SwitchTenantInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenOutput> {
    const issued: IssuedAccess = await this.auth.switchTenant(principal, input.tenantId);
    this.cookies.set(reply, issued);
    const { userId: _userId, sessionVersion: _sessionVersion, ...output } = issued;
    return output;
  }

  private session(issued: IssuedSession, reply: FastifyReply): SessionOutput {
    this.cookies.set(reply, issued);
    const { userId: _userId, sessionVersion: _sessionVersion, ...output } = issued;
    return output;
  }
}
