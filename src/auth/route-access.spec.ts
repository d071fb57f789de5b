import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from '../app.module';
import { createHttpAdapter } from '../bootstrap';
import { ACCESS_METADATA, type RouteAccess } from './access.decorators';

/** Every route of the application, with the access its decorators declare (read by reflection). */
async function declaredRoutes(): Promise<Array<{ route: string; access: RouteAccess | undefined }>> {
  // Preview mode: modules and controllers are read, no provider is built, no database needed.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createHttpAdapter(), { preview: true, logger: false });
  try {
    const routes = [];
    for (const module of app.get(ModulesContainer).values()) {
      for (const controller of module.controllers.values()) {
        const type = controller.metatype as unknown as { prototype: Record<string, unknown> } & object;
        for (const name of Object.getOwnPropertyNames(type.prototype)) {
          const handler = type.prototype[name];
          if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
          const access = (Reflect.getMetadata(ACCESS_METADATA, handler) ?? Reflect.getMetadata(ACCESS_METADATA, type)) as RouteAccess | undefined;
          routes.push({ route: `${method} ${controller.name}.${name}`, access });
        }
      }
    }
    return routes;
  } finally {
    await app.close();
  }
}

describe('route access metadata', () => {
  it('every route declares who may call it (public, authenticated, tenant or operator)', async () => {
    const routes = await declaredRoutes();
    expect(routes.length).toBeGreaterThan(5);
    expect(routes.filter((route) => !route.access).map((route) => route.route)).toEqual([]);
  });

  it('tenant-scoped routes name the API-key scope they need (people-only routes: its resource)', async () => {
    const tenantRoutes = (await declaredRoutes()).filter((route) => route.access?.kind === 'tenant');
    expect(tenantRoutes.length).toBeGreaterThan(0);
    for (const { route, access } of tenantRoutes) {
      const scope = access?.kind === 'tenant' && (access.peopleOnly ? /^[a-z-]+$/ : /^[a-z-]+:[a-z]+$/).test(access.scope);
      expect({ route, scope }).toEqual({ route, scope: true });
    }
    // Their handlers must refuse every key themselves: a new one is added here on purpose.
    const peopleOnly = tenantRoutes.filter(({ access }) => access?.kind === 'tenant' && access.peopleOnly).map(({ route }) => route).sort();
    expect(peopleOnly).toEqual(['POST ProposalsController.confirm', 'POST ProposalsController.reject']);
  });
});
