import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScoped } from '../auth/access.decorators';
import { CurrentPrincipal } from '../tenancy/current-principal.decorator';
import type { Principal } from '../tenancy/principal';
import { AccountService } from './account.service';
import { AccountOutput } from './dto/account.output';
import { UpdateAccountInput } from './dto/update-account.input';
import { ACCOUNT_READ_SCOPE, ACCOUNT_WRITE_SCOPE } from './provisioning.constants';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ProvisioningErrorCode } from '../provisioning/provisioning.errors';

/** The calling tenant's own profile and settings. */
@ApiTags('account')
@Controller('account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @TenantScoped({ scope: ACCOUNT_READ_SCOPE })
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND)
  @ApiOperation({ operationId: 'getAccount', summary: "The tenant's own profile and settings" })
  @ApiOkResponse({ type: AccountOutput })
  get(): Promise<AccountOutput> {
    return this.account.get();
  }

  @Patch()
  @TenantScoped({ minRole: 'ADMIN', scope: ACCOUNT_WRITE_SCOPE })
  @ApiErrors(ProvisioningErrorCode.TENANT_NOT_FOUND, ProvisioningErrorCode.EMAIL_TAKEN, ProvisioningErrorCode.INVALID_TENANT_FIELD)
  @ApiOperation({ operationId: 'updateAccount', summary: 'Change name, contact email or settings (settings are merged)' })
  @ApiOkResponse({ type: AccountOutput })
  update(@CurrentPrincipal() actor: Principal, @Body() input: UpdateAccountInput): Promise<AccountOutput> {
    return this.account.update(actor, input);
  }
}
