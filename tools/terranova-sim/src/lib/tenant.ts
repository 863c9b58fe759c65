import { timingSafeEqual } from 'node:crypto';
import { FaultState, type FaultPlan } from './faults.ts';
import { RequestLog } from './request-log.ts';
import { UserStore } from './user-store.ts';

/** A tenant as given to the emulator. */
export interface TenantConfig {
  id: string;
  /** The bearer token its SCIM API accepts. */
  token: string;
  /** Where its SCIM API lives. @defaultValue `/tenants/<id>/scim/v2` */
  basePath?: string;
}

/** One emulated Terranova tenant: its users, token, faults and request log. */
export class Tenant {
  readonly id: string;
  readonly basePath: string;
  readonly users: UserStore;
  readonly #initialToken: string;
  #token: Buffer;
  log: RequestLog;
  faults: FaultState | undefined;

  constructor(config: TenantConfig, origin: () => string, logCapacity: number) {
    this.id = config.id;
    this.basePath = (config.basePath ?? `/tenants/${encodeURIComponent(config.id)}/scim/v2`).replace(/\/+$/, '');
    this.#initialToken = config.token;
    this.#token = Buffer.from(config.token);
    this.users = new UserStore((userId) => `${origin()}${this.basePath}/Users/${userId}`);
    this.log = new RequestLog(logCapacity);
  }

  /** Whether an `Authorization` header carries this tenant's current token (compared in constant time). */
  accepts(authorization: string | undefined): boolean {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (match?.[1] === undefined) return false;
    const given = Buffer.from(match[1].trim());
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  /** Rotates the token: from now on only the new one works. */
  setToken(token: string): void {
    this.#token = Buffer.from(token);
  }

  setFaults(plan: FaultPlan | undefined): void {
    this.faults = plan === undefined ? undefined : new FaultState(plan);
  }

  /** Back to how it started: no users, no faults, an empty log, the initial token. */
  reset(logCapacity: number): void {
    this.users.clear();
    this.faults = undefined;
    this.log = new RequestLog(logCapacity);
    this.#token = Buffer.from(this.#initialToken);
  }
}
