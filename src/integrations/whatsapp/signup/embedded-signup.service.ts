import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '../../../audit/audit.service';
import { AppConfig } from '../../../config/app-config';
import { actorIdOf, type Principal } from '../../../tenancy/principal';
import { TenantContext } from '../../../tenancy/tenant-context';
import { TenantDatabase } from '../../../tenancy/tenant-database.service';
import { IntegrationsError, IntegrationsErrorCode } from '../../integrations.errors';
import type { CompleteEmbeddedSignupInput, EmbeddedSignupStartOutput } from '../dto/embedded-signup.dto';
import type { SavedWhatsAppConfigOutput } from '../dto/whatsapp-config.output';
import { WhatsAppConfigService } from '../whatsapp-config.service';
import { GraphApiClient, type MetaApp } from './graph-api.client';
import { expired, invalid, SignupStateSigner } from './signup-state.signer';
import { SignupStatesRepository } from './signup-states.repository';

/**
 * Meta's embedded signup. `start` issues a signed state and stores its nonce; `complete` checks the
 * state (signature, tenant, principal, expiry, unused), exchanges Meta's code for an access token,
 * then in one transaction marks the state used and saves the whole WhatsApp configuration (token in
 * the vault), audited. The Graph call happens before that transaction, so a Meta failure or time-out
 * leaves nothing behind and the state unused; a failure of the transaction (phone number taken) too.
 */
@Injectable()
export class EmbeddedSignupService {
  private readonly logger = new Logger(EmbeddedSignupService.name);

  constructor(
    private readonly database: TenantDatabase,
    private readonly states: SignupStatesRepository,
    private readonly signer: SignupStateSigner,
    private readonly graph: GraphApiClient,
    private readonly whatsapp: WhatsAppConfigService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async start(actor: Principal): Promise<EmbeddedSignupStartOutput> {
    const app = this.metaApp();
    const tenantId = TenantContext.requireTenantId();
    // A random v4 id, not the usual v7: the nonce should carry no timestamp and the most randomness.
    const nonce = randomUUID();
    const { state, expiresAt } = await this.signer.sign({ tenantId, principalId: principalIdOf(actor), nonce });
    await this.database.run(async (db) => {
      await this.states.deleteExpired(db, new Date());
      await this.states.create(db, { id: nonce, userId: principalIdOf(actor), expiresAt });
      await this.audit.record(actor, { action: 'integration.whatsapp.signup_started', tenantId, targetType: 'whatsapp_signup', targetId: nonce, metadata: { expiresAt } }, db);
    });
    return { state, expiresAt, appId: app.appId, graphApiVersion: this.config.META_GRAPH_API_VERSION };
  }

  async complete(actor: Principal, input: CompleteEmbeddedSignupInput, baseUrl: string): Promise<SavedWhatsAppConfigOutput> {
    const app = this.metaApp();
    const tenantId = TenantContext.requireTenantId();
    const claims = await this.signer.verify(input.state);
    // Another tenant's or another person's state: refused before anything of theirs is read.
    if (claims.tenantId !== tenantId || claims.principalId !== principalIdOf(actor)) {
      this.logger.warn({ signupId: claims.nonce, sameTenant: claims.tenantId === tenantId }, 'embedded signup completed with a state issued to another principal');
      throw invalid('This signup state was issued to another user or tenant; start the signup again');
    }
    const row = await this.database.run((db) => this.states.find(db, claims.nonce));
    if (!row || row.userId !== claims.principalId) throw invalid();
    if (row.usedAt) throw used();
    if (row.expiresAt.getTime() <= Date.now()) throw expired();

    const accessToken = await this.graph.exchangeCode(app, input.code);
    return this.whatsapp.apply(actor, { phoneNumberId: input.phoneNumberId, businessAccountId: input.businessAccountId, accessToken }, baseUrl, {
      action: 'integration.whatsapp.embedded_signup_completed',
      metadata: { signupId: claims.nonce },
      within: async (db) => {
        if (await this.states.consume(db, claims.nonce, new Date())) return;
        // Lost a race with another completion of the same state, or it expired during the exchange.
        throw (await this.states.find(db, claims.nonce))?.usedAt ? used() : expired();
      },
    });
  }

  private metaApp(): MetaApp {
    const { META_APP_ID: appId, META_APP_SECRET: appSecret } = this.config;
    if (!appId || !appSecret) throw new IntegrationsError(IntegrationsErrorCode.WHATSAPP_NOT_CONFIGURED, 'Embedded signup needs META_APP_ID and META_APP_SECRET on this platform');
    return { appId, appSecret };
  }
}

/** Who a state is bound to: the signed-in user, or the API key driving the flow for one. */
function principalIdOf(actor: Principal): string {
  const id = actorIdOf(actor);
  if (!id) throw new IntegrationsError(IntegrationsErrorCode.SIGNUP_STATE_INVALID, 'Embedded signup needs a user or an API key');
  return id;
}

function used(): IntegrationsError {
  return new IntegrationsError(IntegrationsErrorCode.SIGNUP_STATE_USED, 'This signup state has been used already; start the signup again');
}
