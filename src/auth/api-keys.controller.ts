import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaginationQuery } from '../common/dto/pagination.query';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { TenantScoped } from './access.decorators';
import { ApiKeysService } from './api-keys.service';
import { API_KEYS_READ_SCOPE, API_KEYS_WRITE_SCOPE } from './auth.constants';
import { ApiKeyOutput, ApiKeyPageOutput, ApiKeyWithSecretOutput } from './dto/api-key.output';
import { CreateApiKeyInput } from './dto/create-api-key.input';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AuthErrorCode } from '../auth/auth.errors';

/** The calling tenant's API keys; tenant admins (or keys with the api-keys scopes) only. */
@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Get()
  @TenantScoped({ minRole: 'ADMIN', scope: API_KEYS_READ_SCOPE })
  @ApiOperation({ operationId: 'listApiKeys', summary: "List the tenant's API keys (never their secrets)" })
  @ApiOkResponse({ type: ApiKeyPageOutput })
  list(@Query() page: PaginationQuery): Promise<ApiKeyPageOutput> {
    return this.apiKeys.list(page.limit, page.offset);
  }

  @Get(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: API_KEYS_READ_SCOPE })
  @ApiErrors(AuthErrorCode.API_KEY_NOT_FOUND)
  @ApiOperation({ operationId: 'getApiKey', summary: 'One API key (never its secret)' })
  @ApiOkResponse({ type: ApiKeyOutput })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyOutput> {
    return this.apiKeys.get(id);
  }

  @Post()
  @TenantScoped({ minRole: 'ADMIN', scope: API_KEYS_WRITE_SCOPE })
  @ApiErrors(AuthErrorCode.UNKNOWN_SCOPE, AuthErrorCode.WILDCARD_KEY_PEOPLE_ONLY, AuthErrorCode.API_KEY_SCOPE_NOT_HELD, AuthErrorCode.API_KEY_OUTLIVES_CREATOR)
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key; its secret is in this answer only' })
  @ApiCreatedResponse({ type: ApiKeyWithSecretOutput })
  create(@CurrentPrincipal() actor: Principal, @Body() input: CreateApiKeyInput): Promise<ApiKeyWithSecretOutput> {
    return this.apiKeys.create(actor, input);
  }

  @Post(':id/rotate')
  @TenantScoped({ minRole: 'ADMIN', scope: API_KEYS_WRITE_SCOPE })
  @HttpCode(HttpStatus.OK)
  @ApiErrors(AuthErrorCode.API_KEY_NOT_FOUND, AuthErrorCode.UNKNOWN_SCOPE, AuthErrorCode.WILDCARD_KEY_PEOPLE_ONLY, AuthErrorCode.API_KEY_SCOPE_NOT_HELD, AuthErrorCode.API_KEY_OUTLIVES_CREATOR)
  @ApiOperation({ operationId: 'rotateApiKey', summary: 'Replace the key pair; the old secret stops working at once' })
  @ApiOkResponse({ type: ApiKeyWithSecretOutput })
  rotate(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyWithSecretOutput> {
    return this.apiKeys.rotate(actor, id);
  }

  @Delete(':id')
  @TenantScoped({ minRole: 'ADMIN', scope: API_KEYS_WRITE_SCOPE })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(AuthErrorCode.API_KEY_NOT_FOUND)
  @ApiOperation({ operationId: 'revokeApiKey', summary: 'Revoke an API key (requests with it get 401)' })
  @ApiNoContentResponse()
  async revoke(@CurrentPrincipal() actor: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.apiKeys.revoke(actor, id);
  }
}
