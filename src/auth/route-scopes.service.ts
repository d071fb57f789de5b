import { Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA, type RouteAccess } from './access.decorators';
import { canonicalScope } from './api-key-scopes';
import { API_KEY_WILDCARD_SCOPE } from './auth.constants';

/**
 * The scopes that mean something: `*`, every `resource:action` a tenant route requires, and each of
 * those resources bare. Read from the routes' own access decorators, so a new route's scope is
 * known without a hand-kept list, and a key cannot be given a scope that would grant nothing.
 */
@Injectable()
export class RouteScopes {
  private known?: ReadonlySet<string>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /** Those of `scopes` that no route checks (after `resource:*` is read as `resource`). */
  unknown(scopes: readonly string[]): string[] {
    const known = (this.known ??= this.collect());
    return scopes.filter((scope) => !known.has(canonicalScope(scope)));
  }

  private collect(): ReadonlySet<string> {
    const known = new Set<string>([API_KEY_WILDCARD_SCOPE]);
    for (const controller of this.discovery.getControllers()) {
      const type = controller.metatype as (abstract new (...args: never[]) => unknown) | null;
      if (!type) continue;
      const prototype = type.prototype as Record<string, () => unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [prototype[name], type]);
        if (access?.kind !== 'tenant' || access.peopleOnly) continue;
        known.add(access.scope);
        known.add(access.scope.slice(0, access.scope.indexOf(':')));
      }
    }
    return known;
  }
}
