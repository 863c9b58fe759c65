import { randomUUID } from 'node:crypto';
import { patchBodyValidation, scimPatch, ScimError as PatchLibraryError, type ScimPatch, type ScimResource } from 'scim-patch';
import { SimError, USER_URN } from './scim-response.ts';
import { checkUser, DEFAULT_ROLE, userFromBody } from './user-rules.ts';

/** A user as the emulator keeps and returns it. */
export type StoredUser = Record<string, unknown> & { id: string; userName: string; role: string };

/** Options of {@link UserStore.insert}. */
export interface InsertOptions {
  /** The user exists (POST says 409) but no filter, list or GET shows it, like a user created at SSO login. */
  hidden?: boolean;
}

/**
 * One tenant's users, in memory: indexed by id and by lowercased userName (userName is unique and compared
 * case-insensitively, RFC 7643 §4.1.1), so lookups stay O(1) under benchmark load.
 */
export class UserStore {
  readonly #byId = new Map<string, StoredUser>();
  readonly #idByUserName = new Map<string, string>();
  readonly #hidden = new Set<string>();
  readonly #location: (id: string) => string;
  #version = 0;

  constructor(location: (id: string) => string) {
    this.#location = location;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** Visible users in insertion order. */
  list(): StoredUser[] {
    return [...this.#byId.values()].filter((user) => !this.#hidden.has(user.id));
  }

  /** Every user, hidden ones included, for the admin API. */
  all(): (StoredUser & { hidden?: true })[] {
    return [...this.#byId.values()].map((user) => (this.#hidden.has(user.id) ? { ...user, hidden: true as const } : user));
  }

  get(id: string): StoredUser | undefined {
    return this.#hidden.has(id) ? undefined : this.#byId.get(id);
  }

  findByUserName(userName: string): StoredUser | undefined {
    const id = this.#idByUserName.get(userName.toLowerCase());
    return id === undefined ? undefined : this.get(id);
  }

  /** POST /Users: 409 uniqueness when the userName is taken (even by a hidden user). */
  create(body: unknown): StoredUser {
    return this.insert(userFromBody(body));
  }

  /** Adds a user (also for the admin API's seeding). */
  insert(attributes: Record<string, unknown>, options: InsertOptions = {}): StoredUser {
    const user = this.#stamp({ ...attributes, role: attributes['role'] ?? DEFAULT_ROLE }, randomUUID(), undefined);
    checkUser(user);
    this.#claimUserName(user);
    this.#byId.set(user.id, user);
    if (options.hidden === true) this.#hidden.add(user.id);
    return user;
  }

  /** PUT: a full replace. Attributes left out are gone, and `role` falls back to its default unless sent. */
  replace(id: string, body: unknown): StoredUser {
    const current = this.#require(id);
    const attributes = userFromBody(body);
    const next = this.#stamp({ ...attributes, role: attributes['role'] ?? DEFAULT_ROLE }, id, current);
    return this.#commit(current, next);
  }

  /** PATCH with RFC 7644 ops and paths, applied by scim-patch; all or nothing. */
  patch(id: string, body: unknown): StoredUser {
    const current = this.#require(id);
    const request = checkPatchBody(body);
    let patched: Record<string, unknown>;
    try {
      patched = scimPatch(structuredClone(current) as unknown as ScimResource, request.Operations, { mutateDocument: true, treatMissingAsAdd: true }) as unknown as Record<string, unknown>;
    } catch (error) {
      throw asSimError(error);
    }
    return this.#commit(current, this.#stamp(userFromBody(patched), id, current));
  }

  delete(id: string): StoredUser {
    const current = this.#require(id);
    this.#byId.delete(id);
    this.#idByUserName.delete(current.userName.toLowerCase());
    return current;
  }

  /** Sets Terranova's own `role` (what an admin does in the Terranova portal). */
  setRole(id: string, role: string): StoredUser {
    const current = this.#byId.get(id);
    if (current === undefined) throw new SimError(404, `user ${id} not found`);
    current.role = role;
    return current;
  }

  clear(): void {
    this.#byId.clear();
    this.#idByUserName.clear();
    this.#hidden.clear();
  }

  #require(id: string): StoredUser {
    const user = this.get(id);
    if (user === undefined) throw new SimError(404, `user ${id} not found`);
    return user;
  }

  #commit(current: StoredUser, next: StoredUser): StoredUser {
    checkUser(next);
    const oldKey = current.userName.toLowerCase();
    const newKey = next.userName.toLowerCase();
    if (newKey !== oldKey) {
      this.#claimUserName(next);
      this.#idByUserName.delete(oldKey);
    }
    this.#byId.set(next.id, next);
    return next;
  }

  #claimUserName(user: StoredUser): void {
    const key = user.userName.toLowerCase();
    const owner = this.#idByUserName.get(key);
    if (owner !== undefined && owner !== user.id) throw new SimError(409, `userName ${user.userName} is already taken`, 'uniqueness');
    this.#idByUserName.set(key, user.id);
  }

  #stamp(attributes: Record<string, unknown>, id: string, previous: StoredUser | undefined): StoredUser {
    const now = new Date().toISOString();
    this.#version += 1;
    const previousMeta = previous?.['meta'] as { created?: string } | undefined;
    const schemas = Array.isArray(attributes['schemas']) ? attributes['schemas'] : [USER_URN];
    return {
      ...attributes,
      schemas,
      id,
      meta: { resourceType: 'User', created: previousMeta?.created ?? now, lastModified: now, location: this.#location(id), version: `W/"${this.#version}"` },
    } as unknown as StoredUser;
  }
}

// Strict on what strict servers refuse (P2, P17): a missing PatchOp URN, no operations, ops not in lowercase.
function checkPatchBody(body: unknown): ScimPatch {
  try {
    patchBodyValidation(body as ScimPatch);
  } catch (error) {
    throw asSimError(error);
  }
  const request = body as ScimPatch;
  const capitalised = request.Operations.find((operation) => operation.op !== operation.op.toLowerCase());
  if (capitalised !== undefined) throw new SimError(400, `op "${capitalised.op}" must be lowercase`, 'invalidSyntax');
  return request;
}

function asSimError(error: unknown): SimError {
  if (error instanceof SimError) return error;
  if (error instanceof PatchLibraryError) return new SimError(400, error.message, error.scimCode ?? 'invalidValue');
  return new SimError(400, error instanceof Error ? error.message : 'invalid PATCH', 'invalidSyntax');
}
