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
   * @defaultValue 20000
   */
  maxPending: number;
  /**
   * Events held in memory for one partition; that partition pauses at this level.
   * @defaultValue 5000
   */
  maxPendingPerPartition: number;
  /**
   * Events of one tenant held in memory. Past it, that tenant's further events are *deferred*: only their
   * offsets are kept and the messages are read again from Kafka once the tenant has drained to half of it.
   * Other tenants keep flowing.
   * @defaultValue 5000
   */
  maxPendingPerTenant: number;
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
  maxPending: 20_000,
  maxPendingPerPartition: 5_000,
  maxPendingPerTenant: 5_000,
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
  /** @defaultValue 1048576 bytes */
  maxBytesPerPartition: number;
  /** @defaultValue 10485760 bytes */
  maxBytes: number;
  /** Where a group without a committed offset starts. @defaultValue true (the earliest offset) */
  fromBeginning: boolean;
}

export const DEFAULT_CONSUMER_SETTINGS: EngineConsumerSettings = {
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  heartbeatIntervalMs: 3_000,
  maxWaitTimeMs: 500,
  maxBytesPerPartition: 1_048_576,
  maxBytes: 10_485_760,
  fromBeginning: true,
};
