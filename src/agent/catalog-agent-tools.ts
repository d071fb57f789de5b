import { Injectable, OnModuleInit } from '@nestjs/common';
import { CATALOG_SLUG_MAX_LENGTH, CATALOG_SLUG_PATTERN, MAX_PRICE_CENTS } from '../catalog/catalog.constants';
import { MAX_OFFSET } from '../common/constants';
import { toPackageOutput, toSegmentOutput } from '../catalog/catalog-output';
import { CatalogError, CatalogErrorCode } from '../catalog/catalog.errors';
import { CatalogService, type NewPackage, type PackageUpdate, type SegmentUpdate } from '../catalog/catalog.service';
import type { TenantTransaction } from '../tenancy/tenant-database.service';
import { AgentError, AgentErrorCode } from './agent.errors';
import type { JsonSchema, ProposedChange } from './agent-tool';
import { AgentToolRegistry } from './agent-tool-registry';

const UUID = { type: 'string', format: 'uuid' } as const;
const SLUG = { type: 'string', pattern: CATALOG_SLUG_PATTERN.source, maxLength: CATALOG_SLUG_MAX_LENGTH } as const;
const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;
const PRICE = { type: 'integer', minimum: 0, maximum: MAX_PRICE_CENTS } as const;
const TEXT = { type: ['string', 'null'], maxLength: 2000 } as const;

/** Told to the agent whenever it names a segment that is not the tenant's. */
const SEGMENT_HINT = 'Call get_segments to list the segment ids of this tenant, or omit segmentId to use the General segment.';

interface UpsertPackageInput {
  packageId?: string;
  slug?: string;
  name?: string;
  /** Legacy name of `name`. */
  title?: string;
  basePrice?: number;
  /** Legacy name of `basePrice`. */
  priceCents?: number;
  description?: string | null;
  bookingType?: 'DATE' | 'TIMESLOT';
  groupingOrder?: number;
  active?: boolean;
  segmentId?: string;
}

type UpsertPayload = { action: 'create'; package: NewPackage } | { action: 'update'; packageId: string; changes: PackageUpdate };

/**
 * The catalog's agent tools: three reads, and three writes whose proposals run through
 * CatalogService on confirm, so an agent's change obeys exactly the rules of the API's.
 */
@Injectable()
export class CatalogAgentTools implements OnModuleInit {
  constructor(
    private readonly registry: AgentToolRegistry,
    private readonly catalog: CatalogService,
  ) {}

  onModuleInit(): void {
    this.registerReads();
    this.registerWrites();
  }

  private registerReads(): void {
    this.registry.registerTool({
      kind: 'read',
      name: 'get_segments',
      description: "Lists the tenant's catalog segments (id, slug, name, order, active). Use the ids as segmentId in other tools.",
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      run: async (db: TenantTransaction) => (await this.catalog.listSegments(db, 100, 0)).items.map(toSegmentOutput),
    });
    this.registry.registerTool({
      kind: 'read',
      name: 'get_packages',
      description: "Lists the tenant's bookable packages, optionally of one segment or only active ones. Prices are integer cents.",
      inputSchema: {
        type: 'object',
        properties: { segmentId: UUID, active: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 100 }, offset: { type: 'integer', minimum: 0, maximum: MAX_OFFSET } },
        additionalProperties: false,
      },
      run: async (db: TenantTransaction, input: { segmentId?: string; active?: boolean; limit?: number; offset?: number }) => {
        const page = await this.catalog.listPackages(db, { segmentId: input.segmentId, active: input.active }, input.limit ?? 50, input.offset ?? 0);
        return { items: page.items.map(toPackageOutput), total: page.total };
      },
    });
    this.registry.registerTool({
      kind: 'read',
      name: 'get_package',
      description: 'One package, by packageId or by slug.',
      inputSchema: { type: 'object', properties: { packageId: UUID, slug: SLUG }, minProperties: 1, maxProperties: 1, additionalProperties: false },
      run: async (db: TenantTransaction, input: { packageId?: string; slug?: string }) => {
        const found = input.packageId ? await this.catalog.getPackage(db, input.packageId) : await this.catalog.findPackageBySlug(db, input.slug!);
        if (!found) throw new CatalogError(CatalogErrorCode.PACKAGE_NOT_FOUND, 'Package not found', [{ field: 'slug', message: 'Call get_packages to list the packages.' }]);
        return toPackageOutput(found);
      },
    });
  }

  private registerWrites(): void {
    this.registry.registerTool({
      kind: 'write',
      name: 'upsert_package',
      description:
        'Proposes creating a package, or changing one (by packageId, or by slug when a package has it). A human must confirm. ' +
        'Creating needs name and basePrice (integer cents). Without segmentId a new package goes to the General segment.',
      inputSchema: {
        type: 'object',
        properties: {
          packageId: UUID,
          slug: SLUG,
          name: NAME,
          title: { ...NAME, description: 'Legacy name of `name`; `name` wins when both are sent.' },
          basePrice: { ...PRICE, description: 'Price in integer cents.' },
          priceCents: { ...PRICE, description: 'Legacy name of `basePrice`; `basePrice` wins when both are sent.' },
          description: TEXT,
          bookingType: { type: 'string', enum: ['DATE', 'TIMESLOT'] },
          groupingOrder: { type: 'integer', minimum: 0, maximum: 1_000_000 },
          active: { type: 'boolean' },
          segmentId: UUID,
        },
        additionalProperties: false,
      } satisfies JsonSchema,
      propose: (db: TenantTransaction, input: UpsertPackageInput) => this.proposeUpsert(db, input),
    });
    this.registry.registerProposalExecutor('upsert_package', async (db, payload, actor) => {
      const change = payload as unknown as UpsertPayload;
      return toPackageOutput(
        change.action === 'create'
          ? await this.catalog.createPackage(db, actor, change.package, 'agent')
          : await this.catalog.updatePackage(db, actor, change.packageId, change.changes),
      );
    });

    this.registry.registerTool({
      kind: 'write',
      name: 'update_segment',
      description: 'Proposes changing a segment: name, heroTitle, description, sortOrder or active. A human must confirm.',
      inputSchema: {
        type: 'object',
        properties: { segmentId: UUID, name: NAME, heroTitle: { type: ['string', 'null'], maxLength: 200 }, description: TEXT, sortOrder: { type: 'integer', minimum: 0, maximum: 1_000_000 }, active: { type: 'boolean' } },
        required: ['segmentId'],
        additionalProperties: false,
      },
      propose: (db: TenantTransaction, input: SegmentUpdate & { segmentId: string }) => this.proposeSegmentUpdate(db, input),
    });
    this.registry.registerProposalExecutor('update_segment', async (db, payload, actor) => {
      const { segmentId, changes } = payload as { segmentId: string; changes: SegmentUpdate };
      return toSegmentOutput(await this.catalog.updateSegment(db, actor, segmentId, changes));
    });

    this.registry.registerTool({
      kind: 'write',
      name: 'set_package_active',
      description: 'Proposes showing (active: true) or hiding (active: false) a package on the storefront. A human must confirm.',
      inputSchema: { type: 'object', properties: { packageId: UUID, active: { type: 'boolean' } }, required: ['packageId', 'active'], additionalProperties: false },
      propose: async (db: TenantTransaction, input: { packageId: string; active: boolean }) => {
        const existing = await this.catalog.getPackage(db, input.packageId);
        const verb = input.active ? 'Activate' : 'Deactivate';
        const already = existing.active === input.active ? ` (it is already ${input.active ? 'active' : 'inactive'})` : '';
        return { payload: { packageId: existing.id, active: input.active }, summary: `${verb} package "${existing.name}"${already}.` };
      },
    });
    this.registry.registerProposalExecutor('set_package_active', async (db, payload, actor) => {
      const { packageId, active } = payload as { packageId: string; active: boolean };
      return toPackageOutput(await this.catalog.updatePackage(db, actor, packageId, { active }));
    });
  }

  /**
   * New field names win over legacy ones. The target is the package named by packageId, else the
   * one with this slug; with neither it is a create, which needs a name and a price (422 naming the
   * missing field). A segment that is not the tenant's is 404 with a hint for the agent.
   */
  private async proposeUpsert(db: TenantTransaction, input: UpsertPackageInput): Promise<ProposedChange> {
    const name = input.name ?? input.title;
    const basePrice = input.basePrice ?? input.priceCents;
    const segment = input.segmentId ? await this.segmentFor(db, input.segmentId) : null;
    const existing = input.packageId ? await this.catalog.getPackage(db, input.packageId) : input.slug ? await this.catalog.findPackageBySlug(db, input.slug) : null;

    const fields = { name, basePrice, description: input.description, bookingType: input.bookingType, groupingOrder: input.groupingOrder, active: input.active, segmentId: input.segmentId };
    if (existing) {
      const changes: PackageUpdate = definedOnly({ ...fields, slug: input.packageId ? input.slug : undefined });
      const diff = Object.entries(changes)
        .filter(([field, value]) => existing[field as keyof typeof existing] !== value)
        .map(([field, value]) => `${field} ${show(existing[field as keyof typeof existing])} → ${show(value)}`);
      if (diff.length === 0) throw new AgentError(AgentErrorCode.INVALID_TOOL_INPUT, `Package "${existing.name}" already has these values; nothing to propose`);
      const where = segment ? ` (moving it to segment "${segment.name}")` : '';
      return { payload: { action: 'update', packageId: existing.id, changes }, summary: `Update package "${existing.name}"${where}: ${diff.join('; ')}.` };
    }

    const missing = [name === undefined ? 'name' : null, basePrice === undefined ? 'basePrice' : null].filter((field): field is string => field !== null);
    if (missing.length > 0) {
      throw new AgentError(
        AgentErrorCode.MISSING_FIELD,
        `Missing field${missing.length > 1 ? 's' : ''} ${missing.join(' and ')}: creating a package needs a name (or title) and a basePrice (or priceCents) in cents`,
        missing.map((field) => ({ field, message: 'is required to create a package' })),
      );
    }
    const created: NewPackage = definedOnly({ ...fields, name: name!, basePrice: basePrice!, slug: input.slug });
    const where = segment ? `segment "${segment.name}"` : 'the General segment (no segmentId given)';
    return { payload: { action: 'create', package: created }, summary: `Create package "${name}" at ${formatCents(basePrice!)} in ${where}.` };
  }

  private async proposeSegmentUpdate(db: TenantTransaction, input: SegmentUpdate & { segmentId: string }): Promise<ProposedChange> {
    const segment = await this.segmentFor(db, input.segmentId);
    const { segmentId, ...rest } = input;
    const changes = definedOnly(rest);
    const diff = Object.entries(changes)
      .filter(([field, value]) => segment[field as keyof typeof segment] !== value)
      .map(([field, value]) => `${field} ${show(segment[field as keyof typeof segment])} → ${show(value)}`);
    if (diff.length === 0) throw new AgentError(AgentErrorCode.INVALID_TOOL_INPUT, `Segment "${segment.name}" already has these values; nothing to propose`);
    return { payload: { segmentId, changes }, summary: `Update segment "${segment.name}": ${diff.join('; ')}.` };
  }

  private async segmentFor(db: TenantTransaction, segmentId: string) {
    try {
      return await this.catalog.getSegment(db, segmentId);
    } catch (error) {
      if (error instanceof CatalogError && error.code === CatalogErrorCode.SEGMENT_NOT_FOUND) {
        throw new CatalogError(CatalogErrorCode.SEGMENT_NOT_FOUND, `Segment ${segmentId} is not a segment of this tenant. ${SEGMENT_HINT}`, [
          { field: 'segmentId', message: SEGMENT_HINT },
        ]);
      }
      throw error;
    }
  }
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** Cents as a plain amount: 150000 → "1500.00". The tenant's currency is not the agent's business. */
function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} (${cents} cents)`;
}
