import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule } from '@nestjs/config';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../common/project-root';
import { AppConfig } from './app-config';
import { Keyring } from './keyring';
import { SigningKeys } from './signing-keys';
import { validateConfig } from './validate-config';

/** Loads `.env` (if present) into the environment, then provides the validated AppConfig everywhere. */
@Global()
@Module({
  // The project's .env, wherever the process was started from (the migration commands read the same).
  imports: [NestConfigModule.forRoot({ isGlobal: true, cache: true, envFilePath: join(PROJECT_ROOT, '.env') })],
  providers: [
    { provide: AppConfig, useFactory: () => validateConfig(process.env) },
    { provide: SigningKeys, useFactory: (config: AppConfig) => new SigningKeys(config), inject: [AppConfig] },
    { provide: Keyring, useFactory: (config: AppConfig) => Keyring.fromConfig(config), inject: [AppConfig] },
  ],
  exports: [AppConfig, SigningKeys, Keyring],
})
export class ConfigModule {}
