import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../../auth/access.decorators';
import { CurrentPrincipal } from '../../tenancy/current-principal.decorator';
import type { Principal } from '../../tenancy/principal';
import { INTEGRATIONS_READ_SCOPE, INTEGRATIONS_WRITE_SCOPE } from '../integrations.constants';
import { GenesysConfigOutput, PutGenesysConfigInput } from './dto/genesys-config.dto';
import { GenesysConfigService } from './genesys-config.service';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { IntegrationsErrorCode } from '../../integrations/integrations.errors';
import { ProvisioningErrorCode } from '../../provisioning/provisioning.errors';

/** The tenant's Genesys Cloud (contact centre) configuration, for tenant admins. */
@ApiTags('integrations')
@Controller('integrations/genesys')
export class GenesysController {
  constructor(private readonly genesys: GenesysConfigService) {}

  @Get()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_READ_SCOPE })
  @ApiOperation({ operationId: 'getGenesysConfig', summary: 'Genesys configuration (client secret masked) and whether it is complete' })
  @ApiOkResponse({ type: GenesysConfigOutput })
  get(): Promise<GenesysConfigOutput> {
    return this.genesys.get();
  }

  @Put()
  @TenantScoped({ minRole: 'ADMIN', scope: INTEGRATIONS_WRITE_SCOPE })
  @ApiErrors(ProvisioningErrorCode.GENESYS_INTEGRATION_ID_TAKEN, IntegrationsErrorCode.INVALID_CREDENTIAL)
  @ApiOperation({ operationId: 'putGenesysConfig', summary: 'Set integration id, region, client id and secret; 409 GENESYS_INTEGRATION_ID_TAKEN' })
  @ApiOkResponse({ type: GenesysConfigOutput })
  put(@CurrentPrincipal() actor: Principal, @Body() input: PutGenesysConfigInput): Promise<GenesysConfigOutput> {
    return this.genesys.put(actor, input);
  }
}
