import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

/** Platform-level machine principals (global table). */
@Injectable()
export class ServiceAccountsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByPublicId(publicId: string) {
    return this.prisma.serviceAccount.findUnique({ where: { publicId } });
  }

  async touch(id: string, now: Date): Promise<void> {
    await this.prisma.serviceAccount.update({ where: { id }, data: { lastUsedAt: now } });
  }
}
