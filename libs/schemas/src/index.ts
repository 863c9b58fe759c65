// Kafka contracts
export { TOPICS, messageKey, parseMessageKey } from './lib/contracts/topics.ts';
export type { TopicName } from './lib/contracts/topics.ts';
export {
  isoInstantSchema,
  tenantIdSchema,
  jumpCloudIdSchema,
  JUMPCLOUD_USER_STATES,
  jumpCloudUserStateValueSchema,
} from './lib/contracts/common.ts';
export type { JumpCloudUserStateValue } from './lib/contracts/common.ts';
export {
  USER_CHANGE_SOURCES,
  USER_CHANGE_EVENT_LATEST_VERSION,
  userChangeEventV1Schema,
  userChangeEventV1ReaderSchema,
  parseUserChangeEvent,
  describeIssues,
} from './lib/contracts/user-change-event.ts';
export type {
  UserChangeEventV1,
  UserChangeSource,
  JumpCloudUserState,
  DeletedJumpCloudUserState,
  UserChangeEventParseResult,
} from './lib/contracts/user-change-event.ts';
export { PROVISIONING_ACTIONS, PROVISIONING_OUTCOMES, SCIM_OPERATIONS, provisioningResultV1Schema, scimCallV1Schema } from './lib/contracts/provisioning-result.ts';
export type { ProvisioningResultV1, ProvisioningAction, ProvisioningOutcome, ScimCallV1, ScimOperation } from './lib/contracts/provisioning-result.ts';
export { CHANGE_HEADERS, changeHeadersV1Schema, toChangeHeaders, readChangeHeaders, asksToCheckTerranova } from './lib/contracts/change-headers.ts';
export type { ChangeFacts, MessageHeaders } from './lib/contracts/change-headers.ts';
export { DLQ_HEADERS, dlqHeadersV1Schema, toDlqHeaders } from './lib/contracts/dlq-headers.ts';
export type { DlqHeadersV1, DlqFailure } from './lib/contracts/dlq-headers.ts';

// SCIM 2.0
export {
  SCIM_SCHEMA_URNS,
  SCIM_PATCH_OPS,
  scimEmailSchema,
  scimNameSchema,
  scimUserSchema,
  scimListResponseOf,
  scimListResponseSchema,
  scimPatchOperationSchema,
  scimPatchRequestSchema,
  scimErrorSchema,
} from './lib/scim/scim.ts';
export type {
  ScimEmail,
  ScimName,
  ScimUser,
  ScimListResponse,
  ScimPatchOperation,
  ScimPatchRequest,
  ScimError,
} from './lib/scim/scim.ts';
export { lenientBooleanSchema } from './lib/scim/lenient.ts';

// JumpCloud APIs
export {
  diTimestampSchema,
  USER_RESOURCE_TYPES,
  isUserResourceType,
  diResourceSchema,
  diChangeSchema,
  diAssociationNodeSchema,
  diAssociationSchema,
  directoryInsightsEventSchema,
  directoryInsightsPageSchema,
  instantToEpochNanos,
} from './lib/jumpcloud/directory-insights.ts';
export type {
  DirectoryInsightsEvent,
  DirectoryInsightsChange,
  DirectoryInsightsAssociation,
  DirectoryInsightsAssociationNode,
} from './lib/jumpcloud/directory-insights.ts';
export {
  systemUserAttributeSchema,
  systemUserSchema,
  systemUserListSchema,
  PREFERRED_LANGUAGE_ATTRIBUTE,
  customAttribute,
  userStateFromSystemUser,
} from './lib/jumpcloud/system-user.ts';
export type { SystemUser, SystemUserList } from './lib/jumpcloud/system-user.ts';
export {
  GRAPH_TYPES,
  GRAPH_OPERATIONS,
  graphObjectSchema,
  graphConnectionSchema,
  graphObjectWithPathsSchema,
  graphObjectWithPathsListSchema,
  graphConnectionListSchema,
  graphAssociationRequestSchema,
} from './lib/jumpcloud/graph.ts';
export type { GraphObject, GraphConnection, GraphObjectWithPaths, GraphAssociationRequest, GraphType } from './lib/jumpcloud/graph.ts';
