import { Injectable } from '@nestjs/common';
import type { Principal } from '../../tenancy/principal';
import { TenantDatabase } from '../../tenancy/tenant-database.service';
import { IntegrationsError, IntegrationsErrorCode } from '../integrations.errors';
import { credentialType } from './credential-types';
import { CredentialsVault } from './credentials-vault.service';
import type { CredentialOutput, CredentialPageOutput } from './dto/credential.output';

/** The credentials API: one tenant transaction per call around the vault. */
@Injectable()
export class IntegrationCredentialsService {
  constructor(
    private readonly database: TenantDatabase,
    private readonly vault: CredentialsVault,
  ) {}

  async list(): Promise<CredentialPageOutput> {
    const items = await this.database.run((db) => this.vault.list(db));
    return { items, total: items.length, limit: items.length, offset: 0 };
  }

  async get(name: string): Promise<CredentialOutput> {
    const type = credentialType(name);
    const credential = await this.database.run((db) => this.vault.view(db, type));
    if (!credential) throw notFound();
    return credential;
  }

  put(actor: Principal, name: string, value: string): Promise<{ created: boolean; credential: CredentialOutput }> {
    const type = credentialType(name);
    return this.database.run((db) => this.vault.store(db, actor, type, value));
  }

  async delete(actor: Principal, name: string): Promise<void> {
    const type = credentialType(name);
    if (!(await this.database.run((db) => this.vault.remove(db, actor, type)))) throw notFound();
  }
}

function notFound(): IntegrationsError {
  return new IntegrationsError(IntegrationsErrorCode.CREDENTIAL_NOT_FOUND, 'Credential not found');
}
