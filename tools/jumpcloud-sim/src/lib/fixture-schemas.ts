import { z } from 'zod';

/*
 * The shapes of the fixture files (../shared/fixtures/jumpcloud/<tenant>/). The emulator checks them on load so a
 * broken fixture fails with a clear message instead of a half-loaded tenant.
 */

/** A v1 systemuser as the API returns it; the emulator keeps every field it was given. */
export const systemUserRecordSchema = z.looseObject({
  _id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().optional(),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  state: z.enum(['ACTIVATED', 'SUSPENDED', 'STAGED']),
  suspended: z.boolean().optional(),
  activated: z.boolean().optional(),
  account_locked: z.boolean().optional(),
});
export type SystemUserRecord = z.infer<typeof systemUserRecordSchema>;

/** `org-initial.json` / `org-final.json`. */
export const orgFileSchema = z.object({
  tenantId: z.string().min(1),
  organization: z.string().min(1),
  application: z.looseObject({ id: z.string().min(1), name: z.string(), displayLabel: z.string().optional() }),
  groups: z.array(z.object({ id: z.string().min(1), name: z.string() })),
  users: z.array(systemUserRecordSchema),
  groupMembers: z.record(z.string(), z.array(z.string())),
  appBindings: z.object({ userGroups: z.array(z.string()), users: z.array(z.string()) }),
});
export type OrgFile = z.infer<typeof orgFileSchema>;

const at = z.string().min(1).describe('RFC 3339 instant, milliseconds or nanoseconds');
const userAction = <T extends string>(action: T) => z.object({ at, action: z.literal(action), userId: z.string().min(1) });
const membershipAction = <T extends string>(action: T) => userAction(action).extend({ groupId: z.string().min(1) });
const groupBindingAction = <T extends string>(action: T) => z.object({ at, action: z.literal(action), groupId: z.string().min(1) });

/** One admin action of `admin-timeline.json`; the admin API takes the same shape (`at` optional there). */
export const adminActionSchema = z.discriminatedUnion('action', [
  z.object({ at, action: z.literal('create_user'), user: systemUserRecordSchema, addToGroup: z.string().optional() }),
  userAction('update_user').extend({ field: z.string().min(1), from: z.unknown().optional(), to: z.unknown().optional() }),
  userAction('suspend_user'),
  userAction('activate_user').extend({ from: z.string().optional() }),
  userAction('lockout_user'),
  userAction('password_change'),
  userAction('delete_user').extend({ username: z.string().optional() }),
  membershipAction('add_to_group'),
  membershipAction('remove_from_group'),
  groupBindingAction('bind_group_to_app'),
  groupBindingAction('unbind_group_from_app'),
  userAction('bind_user_to_app'),
  userAction('unbind_user_from_app'),
]);
export type AdminAction = z.infer<typeof adminActionSchema>;
export type AdminActionType = AdminAction['action'];

/** A Directory Insights event row: a few fields the emulator reads, everything else kept as it is. */
export const directoryInsightsRowSchema = z.looseObject({
  id: z.string().min(1),
  event_type: z.string().min(1),
  service: z.string().min(1),
  timestamp: at,
});
export type DirectoryInsightsRow = z.infer<typeof directoryInsightsRowSchema>;
