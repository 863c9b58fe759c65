/**
 * Defaults the processor and the operator commands must agree on, so `npm run ops` finds the processor's
 * consumer group and Redis keys from the same config file without restating them.
 */
export const PROCESSOR_DEFAULTS = {
  /** @defaultValue the processor's consumer group */
  groupId: 'provisioning-processor',
  /** @defaultValue the prefix of every processor key in Redis */
  keyPrefix: 'provisioning',
} as const;
