import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Put, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScoped } from '../../auth/access.decorators';
import { CurrentPrincipal } from '../../tenancy/current-principal.decorator';
import type { Principal } from '../../tenancy/principal';
import { INTEGRATIONS_READ_SCOPE, INTEGRATIONS_WRITE_SCOPE } from '../integrations.constants';
import { CREDENTIAL_TYPE_NAMES } from './credential-types';
import { CredentialOutput, CredentialPageOutput } from './dto/credential.output';
import { PutCredentialInput } from './dto/put-credential.input';
import { IntegrationCredentialsService } from './integration-credentials.service';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { IntegrationsErrorCode } from '../../integrations/integrations.errors';

const TYPE_PARAM = { name: 'type', description: `One of: ${CREDENTIAL_TYPE_NAMES.join(', ')} (another name is 400 listing them)`, example: 'whatsapp_access_token' };

/** The tenant's integration secrets, for tenant admins (or keys with integrations:*): written once, read masked. */
@ApiTags('integrations')
@Controller('integrations/credentials')
export class CredentialsController {
  constructor(private readonly credentials: IntegrationCredentialsService) {}

  @Get()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_READ_SCOPE })
  @ApiOperation({ operationId: 'listCredentials', summary: 'Every credential type, configured or not, masked' })
  @ApiOkResponse({ type: CredentialPageOutput })
  list(): Promise<CredentialPageOutput> {
    return this.credentials.list();
  }

  @Get(':type')
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_READ_SCOPE })
  @ApiErrors(IntegrationsErrorCode.CREDENTIAL_NOT_FOUND, IntegrationsErrorCode.UNKNOWN_CREDENTIAL_TYPE)
  @ApiOperation({ operationId: 'getCredential', summary: 'One stored credential, masked (404 when none is stored)' })
  @ApiParam(TYPE_PARAM)
  @ApiOkResponse({ type: CredentialOutput })
  get(@Param('type') type: string): Promise<CredentialOutput> {
    return this.credentials.get(type);
  }

  @Put(':type')
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @ApiErrors(IntegrationsErrorCode.CREDENTIAL_NOT_FOUND, IntegrationsErrorCode.UNKNOWN_CREDENTIAL_TYPE, IntegrationsErrorCode.INVALID_CREDENTIAL)
  @ApiOperation({ operationId: 'putCredential', summary: 'Store or replace a credential (encrypted; the answer is masked)' })
  @ApiParam(TYPE_PARAM)
  @ApiCreatedResponse({ type: CredentialOutput, description: 'Stored for the first time.' })
  @ApiOkResponse({ type: CredentialOutput, description: 'Replaced.' })
  async put(
    @CurrentPrincipal() actor: Principal,
    @Param('type') type: string,
    @Body() input: PutCredentialInput,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CredentialOutput> {
    const { created, credential } = await this.credentials.put(actor, type, input.value);
    reply.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return credential;
  }

  @Delete(':type')
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiErrors(IntegrationsErrorCode.CREDENTIAL_NOT_FOUND, IntegrationsErrorCode.UNKNOWN_CREDENTIAL_TYPE)
  @ApiOperation({ operationId: 'deleteCredential', summary: 'Delete a stored credential' })
  @ApiParam(TYPE_PARAM)
  @ApiNoContentResponse()
  async delete(@CurrentPrincipal() actor: Principal, @Param('type') type: string): Promise<void> {
    await this.credentials.delete(actor, type);
  }
}
