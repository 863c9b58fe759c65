export { JumpCloudClient } from './lib/jumpcloud-client.ts';
export type { JumpCloudClientOptions, InsightsQuery, InsightsPage, NewSystemUser, UserListing } from './lib/jumpcloud-client.ts';
export { callJumpCloud, retryDelayMs } from './lib/http.ts';
export type { JumpCloudHttpOptions, JsonResponse, RetrySettings } from './lib/http.ts';
export { JumpCloudError, errorForStatus, parseRetryAfter } from './lib/jumpcloud-error.ts';
export type { JumpCloudErrorCode } from './lib/jumpcloud-error.ts';
export type { JumpCloudCheck, JumpCloudCheckName } from './lib/verify.ts';
