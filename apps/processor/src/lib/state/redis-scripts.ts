import type { Redis } from 'ioredis';
import { CLAIM_EVENT, FINISH_EVENT, LEASE_EVENT, SLOW_DOWN, TAKE_TOKENS } from './lua-scripts.ts';

const SCRIPTS = {
  claimEvent: { numberOfKeys: 2, lua: CLAIM_EVENT },
  finishEvent: { numberOfKeys: 2, lua: FINISH_EVENT },
  leaseEvent: { numberOfKeys: 1, lua: LEASE_EVENT },
  takeTokens: { numberOfKeys: 1, lua: TAKE_TOKENS },
  slowDown: { numberOfKeys: 1, lua: SLOW_DOWN },
} as const;

/** The name of one of the processor's Lua scripts. */
export type ScriptName = keyof typeof SCRIPTS;

type ScriptCommand = (...keysAndArgs: (string | number)[]) => Promise<unknown>;

/**
 * The processor's Lua scripts on one ioredis client. ioredis sends them with EVALSHA and falls back to EVAL
 * once per connection when Redis does not know the script yet. Every call is one round trip to Redis and is
 * counted, so the benchmark and the metrics can report round trips per event.
 */
export class RedisScripts {
  private readonly commands: Record<ScriptName, ScriptCommand>;
  private readonly onCall: (name: ScriptName) => void;
  private calls = 0;

  constructor(redis: Redis, onCall: (name: ScriptName) => void = () => undefined) {
    for (const [name, definition] of Object.entries(SCRIPTS)) redis.defineCommand(name, definition);
    this.commands = redis as unknown as Record<ScriptName, ScriptCommand>;
    this.onCall = onCall;
  }

  /** Round trips made so far. */
  get callCount(): number {
    return this.calls;
  }

  run(name: ScriptName, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    this.calls += 1;
    this.onCall(name);
    return this.commands[name](...keys, ...args);
  }
}
