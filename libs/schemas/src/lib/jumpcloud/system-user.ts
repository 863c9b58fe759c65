import { z } from 'zod';
import { jumpCloudUserStateValueSchema } from '../contracts/common.ts';
import type { JumpCloudUserState } from '../contracts/user-change-event.ts';

/** A custom attribute of a systemuser (`attributes[]`). */
export const systemUserAttributeSchema = z.looseObject({ name: z.string(), value: z.json().optional() });

/**
 * A v1 systemuser (`GET /api/systemusers/{id}`); the fields the pipeline uses are typed, the rest kept.
 * `state` is required: without it nobody can tell whether the user should be active.
 */
export const systemUserSchema = z.looseObject({
  _id: z.string().min(1),
  username: z.string().min(1),
  email: z.string().min(1),
  firstname: z.string().nullish(),
  middlename: z.string().nullish(),
  lastname: z.string().nullish(),
  displayname: z.string().nullish(),
  employeeIdentifier: z.string().nullish(),
  organization: z.string().optional(),
  created: z.string().optional(),
  state: jumpCloudUserStateValueSchema,
  activated: z.boolean().optional(),
  suspended: z.boolean().default(false),
  account_locked: z.boolean().optional(),
  attributes: z.array(systemUserAttributeSchema).nullish(),
});

/** The v1 list wrapper: `{ totalCount, results }`. */
export const systemUserListSchema = z.looseObject({
  totalCount: z.int().min(0),
  results: z.array(systemUserSchema),
});

export type SystemUser = z.infer<typeof systemUserSchema>;
export type SystemUserList = z.infer<typeof systemUserListSchema>;

/** Name of the custom attribute that carries a user's preferred language (JumpCloud has no such field). */
export const PREFERRED_LANGUAGE_ATTRIBUTE = 'preferredLanguage';

/** The value of a custom attribute, matched by name case-insensitively; blank values read as absent. */
export function customAttribute(user: SystemUser, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = user.attributes?.find((attribute) => attribute.name.toLowerCase() === wanted);
  if (found === undefined || found.value === null || found.value === undefined) return undefined;
  const text = String(found.value).trim();
  return text === '' ? undefined : text;
}

/** Present, non-blank string, else undefined (JumpCloud sends `""` and null for unset fields). */
function present(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value.trim() === '' ? undefined : value;
}

/** The contract's view of a systemuser: only what the mapping needs. */
export function userStateFromSystemUser(user: SystemUser): JumpCloudUserState {
  const state: JumpCloudUserState = {
    username: user.username,
    email: user.email,
    state: user.state,
    suspended: user.suspended,
  };
  const optional = {
    firstname: present(user.firstname),
    lastname: present(user.lastname),
    employeeIdentifier: present(user.employeeIdentifier),
    accountLocked: user.account_locked,
    preferredLanguage: customAttribute(user, PREFERRED_LANGUAGE_ATTRIBUTE),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(state, { [key]: value });
  }
  return state;
}
