import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { DatabaseEndpoint } from './database-endpoint';
import { PrismaService } from './prisma.service';

@Global()
@Module({
  providers: [
    { provide: DatabaseEndpoint, useFactory: (config: AppConfig) => DatabaseEndpoint.open(config), inject: [AppConfig] },
    PrismaService,
  ],
  exports: [PrismaService, DatabaseEndpoint],
})
export class DatabaseModule {}
