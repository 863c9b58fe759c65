import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { RedisKeys } from './redis-keys.ts';
import type { RedisScripts } from './redis-scripts.ts';

/** A tenant's limit: `ratePerSecond` sustained, `burst` at once. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

export interface TokenBucketOptions {
  /** Rate multiplier applied on each 429 (cut at most once per `cooldownMs`). @defaultValue 0.5 */
  slowDownFactor: number;
  /** The rate never drops below this share of the configured rate. @defaultValue 0.05 */
  minFactor: number;
  /** How long a cut rate stays in force after the last 429. @defaultValue 30000 ms */
  slowForMs: number;
  /** @defaultValue 1000 ms */
  cooldownMs: number;
}

export const DEFAULT_TOKEN_BUCKET_OPTIONS: TokenBucketOptions = {
  slowDownFactor: 0.5,
  minFactor: 0.05,
  slowForMs: 30_000,
  cooldownMs: 1_000,
};

interface Waiter {
  resolve(waitedMs: number): void;
  reject(error: unknown): void;
  since: number;
}

const BUCKET_TTL_MS = 3_600_000;

/**
 * The token bucket of one Terranova tenant, kept in Redis and shared by every replica (one atomic script per
 * take). Concurrent takes of this process are batched: one script call asks for as many tokens as callers
 * wait, so a busy tenant costs far less than one round trip per SCIM request.
 */
export class TenantTokenBucket {
  private readonly scripts: RedisScripts;
  private readonly key: string;
  private readonly options: TokenBucketOptions;
  private readonly logger: Logger;
  private limit: RateLimit;
  private readonly waiters: Waiter[] = [];
  private running = false;

  constructor(scripts: RedisScripts, keys: RedisKeys, tenantId: string, limit: RateLimit, logger: Logger, options: Partial<TokenBucketOptions> = {}) {
    this.scripts = scripts;
    this.key = keys.rateBucket(tenantId);
    this.limit = limit;
    this.logger = logger;
    this.options = { ...DEFAULT_TOKEN_BUCKET_OPTIONS, ...options };
  }

  /** A reloaded config may change the limit; the next take uses it. */
  setLimit(limit: RateLimit): void {
    this.limit = limit;
  }

  /** Waits for one token; resolves with how long it waited (ms). */
  take(): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.waiters.push({ resolve, reject, since: performance.now() });
      if (!this.running) void this.serve();
    });
  }

  /** Terranova answered 429: every replica slows down (and waits out Retry-After, when given). */
  async slowDown(retryAfterMs: number | undefined): Promise<void> {
    const { slowDownFactor, minFactor, slowForMs, cooldownMs } = this.options;
    const args = [slowDownFactor, minFactor, slowForMs, Math.max(0, Math.round(retryAfterMs ?? 0)), BUCKET_TTL_MS, cooldownMs];
    const factor = Number(await this.scripts.run('slowDown', [this.key], args)) / 1000;
    this.logger.info({ factor, retryAfterMs }, 'rate limited by Terranova, slowing down');
  }

  /** Serves waiters one script call at a time until none is left. */
  private async serve(): Promise<void> {
    this.running = true;
    try {
      while (this.waiters.length > 0) {
        const want = Math.min(this.waiters.length, Math.max(1, Math.floor(this.limit.burst)));
        const reply = (await this.scripts.run('takeTokens', [this.key], [this.limit.ratePerSecond, this.limit.burst, want, BUCKET_TTL_MS])) as number[];
        const [granted = 0, waitMs = 0] = reply;
        const now = performance.now();
        for (const waiter of this.waiters.splice(0, granted)) waiter.resolve(now - waiter.since);
        if (granted === 0) await sleep(Math.min(Math.max(1, waitMs), 1_000));
      }
    } catch (error) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } finally {
      this.running = false;
    }
  }
}
