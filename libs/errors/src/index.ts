export { ProvisioningError, NonRetriableError } from './lib/provisioning-error.ts';
export type { ProvisioningErrorOptions } from './lib/provisioning-error.ts';
export { isRetriable, errorCode, toError } from './lib/retriability.ts';
