/** Bounds of the key-ordered engine. Every limit is a count of events unless its name says otherwise. */
export interface EngineLimits {
  /**
   * Events running at once over all tenants (the in-flight window).
   * @defaultValue 1000
   */
  maxInFlight: number;
  /**
   * Events of one tenant running at once, so a slow or rate-limited tenant leaves slots to the others.
   * @defaultValue 500
   */
  maxInFlightPerTenant: number;
  /**
   * Events held in memory (queued, running or parked) over all partitions; fetching pauses at this level and
   * resumes once half of it has drained.
   * @defaultValue 10000
   */
  maxPending: number;
  /**
   * Events held in memory for one partition; that partition pauses at this level.
   * @defaultValue 2500
   */
  maxPendingPerPartition: number;
  /**
   * Events of one tenant held in memory. Past it, reading pauses while the tenant drains; a tenant that is
   * parked, or stays over it for `stuckAfterMs`, has its further events *deferred* instead: only their offsets
   * are kept and the messages are read again from Kafka once it has drained to half of it. Other tenants keep
   * flowing.
   * @defaultValue 5000
   */
  maxPendingPerTenant: number;
  /**
   * How long a tenant over `maxPendingPerTenant` may hold its partitions back (plain backpressure, fine for a
   * tenant that drains fast) before it counts as stuck and its newer events are deferred instead.
   * @defaultValue 5000 ms
   */
  stuckAfterMs: number;
  /**
   * Deferred offsets one partition may remember before it pauses (the memory bound of a very long outage).
   * @defaultValue 500000
   */
  maxDeferredPerPartition: number;
  /** @defaultValue 1000 ms */
  commitIntervalMs: number;
  /** Backoff after a handler error, doubled per attempt up to `retryMaxMs`. @defaultValue 500 ms */
  retryInitialMs: number;
  /** @defaultValue 30000 ms */
  retryMaxMs: number;
}

export const DEFAULT_ENGINE_LIMITS: EngineLimits = {
  maxInFlight: 1000,
  maxInFlightPerTenant: 500,
  maxPending: 10_000,
  maxPendingPerPartition: 2_500,
  maxPendingPerTenant: 5_000,
  stuckAfterMs: 5_000,
  maxDeferredPerPartition: 500_000,
  commitIntervalMs: 1_000,
  retryInitialMs: 500,
  retryMaxMs: 30_000,
};

/** kafkajs consumer settings the engine passes through. */
export interface EngineConsumerSettings {
  /** @defaultValue 30000 ms */
  sessionTimeoutMs: number;
  /** @defaultValue 60000 ms */
  rebalanceTimeoutMs: number;
  /** @defaultValue 3000 ms */
  heartbeatIntervalMs: number;
  /** How long a fetch waits for data; also how soon a resumed partition is fetched again. @defaultValue 500 ms */
  maxWaitTimeMs: number;
  /**
   * Bytes per partition per fetch. Small fetches keep the read-ahead (and the garbage of decoding it) small.
   * @defaultValue 262144 bytes
   */
  maxBytesPerPartition: number;
  /** @defaultValue 4194304 bytes */
  maxBytes: number;
  /** Where a group without a committed offset starts. @defaultValue true (the earliest offset) */
  fromBeginning: boolean;
}

export const DEFAULT_CONSUMER_SETTINGS: EngineConsumerSettings = {
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3_000,
  maxWaitTimeMs: 500,
  maxBytesPerPartition: 262_144,
  maxBytes: 4_194_304,
  fromBeginning: true,
};
