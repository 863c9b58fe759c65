import type { FaultPlan } from './faults.ts';
import type { RequestLogSnapshot } from './request-log.ts';
import { SimError } from './scim-response.ts';
import { Tenant, type TenantConfig } from './tenant.ts';
import type { InsertOptions, StoredUser } from './user-store.ts';

/**
 * What tests, the demo and the admin HTTP API do to the emulator: inspect users and traffic, seed users,
 * set roles, inject faults, rotate tokens, reset. The HTTP routes under `/admin` call exactly these.
 */
export class SimAdmin {
  readonly #tenants = new Map<string, Tenant>();
  readonly #origin: () => string;
  readonly #logCapacity: number;

  constructor(origin: () => string, logCapacity: number) {
    this.#origin = origin;
    this.#logCapacity = logCapacity;
  }

  /** Every tenant (for routing). */
  get tenants(): Iterable<Tenant> {
    return this.#tenants.values();
  }

  addTenant(config: TenantConfig): { id: string; basePath: string } {
    if (typeof config.id !== 'string' || config.id === '' || typeof config.token !== 'string' || config.token === '') {
      throw new SimError(400, 'a tenant needs an id and a token');
    }
    if (this.#tenants.has(config.id)) throw new SimError(409, `tenant ${config.id} exists`, 'uniqueness');
    const tenant = new Tenant(config, this.#origin, this.#logCapacity);
    this.#tenants.set(config.id, tenant);
    return { id: tenant.id, basePath: tenant.basePath };
  }

  listTenants(): { id: string; basePath: string; users: number }[] {
    return [...this.#tenants.values()].map((tenant) => ({ id: tenant.id, basePath: tenant.basePath, users: tenant.users.size }));
  }

  tenant(id: string): Tenant {
    const tenant = this.#tenants.get(id);
    if (tenant === undefined) throw new SimError(404, `unknown tenant ${id}`);
    return tenant;
  }

  /** Every user of the tenant, hidden ones included (marked `hidden: true`). */
  users(tenantId: string): StoredUser[] {
    return this.tenant(tenantId).users.all();
  }

  /** The user with this userName (case-insensitive), hidden or not. */
  userByUserName(tenantId: string, userName: string): StoredUser | undefined {
    return this.users(tenantId).find((user) => user.userName.toLowerCase() === userName.toLowerCase());
  }

  /** Puts a user in directly, as if Terranova had it already (`hidden`: exists but no lookup shows it). */
  seedUser(tenantId: string, user: Record<string, unknown>, options: InsertOptions = {}): StoredUser {
    return this.tenant(tenantId).users.insert(user, options);
  }

  setRole(tenantId: string, userId: string, role: string): StoredUser {
    if (typeof role !== 'string' || role === '') throw new SimError(400, 'role must be a non-empty string');
    return this.tenant(tenantId).users.setRole(userId, role);
  }

  requestLog(tenantId: string, recentLimit?: number): RequestLogSnapshot {
    return this.tenant(tenantId).log.snapshot(recentLimit);
  }

  setFaults(tenantId: string, plan: FaultPlan): void {
    this.tenant(tenantId).setFaults(plan);
  }

  clearFaults(tenantId: string): void {
    this.tenant(tenantId).setFaults(undefined);
  }

  setToken(tenantId: string, token: string): void {
    if (typeof token !== 'string' || token === '') throw new SimError(400, 'token must be a non-empty string');
    this.tenant(tenantId).setToken(token);
  }

  /** Empties the tenant: no users, no faults, a fresh log, its initial token back. */
  reset(tenantId: string): void {
    this.tenant(tenantId).reset(this.#logCapacity);
  }
}
