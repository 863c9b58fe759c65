/** One request as the log keeps it. */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** The path below the tenant's base path, without the query string. */
  path: string;
  status: number;
  userName?: string | undefined;
  /** The fault injected instead of (or on top of) the normal answer, if any. */
  fault?: string | undefined;
}

/** Counts for one userName (lowercased): requests per method, and users actually created. */
export interface UserNameCounts {
  GET: number;
  POST: number;
  PUT: number;
  PATCH: number;
  DELETE: number;
  created: number;
}

/** What the admin API reports about a tenant's SCIM traffic. */
export interface RequestLogSnapshot {
  total: number;
  /** POST, PUT, PATCH and DELETE requests that reached the tenant, whatever their answer. */
  writes: number;
  byMethod: Record<string, number>;
  byStatus: Record<string, number>;
  byFault: Record<string, number>;
  byUserName: Record<string, UserNameCounts>;
  /** The most recent requests, oldest first (a bounded ring). */
  recent: LoggedRequest[];
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * A tenant's request log, cheap enough for 100k+ requests: counters plus a ring of the last `capacity`
 * entries, so memory stays bounded however long the emulator runs.
 */
export class RequestLog {
  readonly #capacity: number;
  #ring: LoggedRequest[] = [];
  #next = 0;
  #seq = 0;
  #writes = 0;
  #byMethod: Record<string, number> = {};
  #byStatus: Record<string, number> = {};
  #byFault: Record<string, number> = {};
  #byUserName = new Map<string, UserNameCounts>();

  constructor(capacity = 1000) {
    this.#capacity = capacity;
  }

  record(entry: Omit<LoggedRequest, 'seq' | 'at'>): void {
    this.#seq += 1;
    const logged: LoggedRequest = { seq: this.#seq, at: new Date().toISOString(), ...entry };
    if (this.#ring.length < this.#capacity) this.#ring.push(logged);
    else this.#ring[this.#next] = logged;
    this.#next = (this.#next + 1) % this.#capacity;
    if (WRITE_METHODS.has(entry.method)) this.#writes += 1;
    bump(this.#byMethod, entry.method);
    bump(this.#byStatus, String(entry.status));
    if (entry.fault !== undefined) bump(this.#byFault, entry.fault);
    if (entry.userName !== undefined) this.#countUserName(entry);
  }

  #countUserName(entry: Omit<LoggedRequest, 'seq' | 'at'>): void {
    const key = (entry.userName ?? '').toLowerCase();
    let counts = this.#byUserName.get(key);
    if (counts === undefined) {
      counts = { GET: 0, POST: 0, PUT: 0, PATCH: 0, DELETE: 0, created: 0 };
      this.#byUserName.set(key, counts);
    }
    if (entry.method in counts) counts[entry.method as keyof UserNameCounts] += 1;
    if (entry.method === 'POST' && entry.status === 201) counts.created += 1;
  }

  snapshot(recentLimit = this.#capacity): RequestLogSnapshot {
    const ordered = this.#ring.length < this.#capacity ? this.#ring : [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    return {
      total: this.#seq,
      writes: this.#writes,
      byMethod: { ...this.#byMethod },
      byStatus: { ...this.#byStatus },
      byFault: { ...this.#byFault },
      byUserName: Object.fromEntries([...this.#byUserName].map(([key, counts]) => [key, { ...counts }])),
      recent: ordered.slice(Math.max(0, ordered.length - recentLimit)),
    };
  }
}
