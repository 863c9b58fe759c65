import { SCIM_SCHEMA_URNS, type ScimPatchOperation, type ScimPatchRequest } from '@provisioning/schemas';
import { sameEmails, sameLanguage, sameUserName, type TerranovaUser } from './terranova-user.ts';

/** The PATCH paths this pipeline writes, in the order the operations are sent. */
export const MANAGED_PATHS = [
  'userName',
  'name.givenName',
  'name.familyName',
  'emails',
  'externalId',
  'preferredLanguage',
  'active',
] as const;
export type ManagedPath = (typeof MANAGED_PATHS)[number];

/** An optional attribute: set → replace, cleared → remove (so a dropped externalId is really removed). */
function optionalOp(path: ManagedPath, desired: string | undefined): ScimPatchOperation {
  return desired === undefined ? { op: 'remove', path } : { op: 'replace', path, value: desired };
}

function changedOperations(applied: TerranovaUser, desired: TerranovaUser): ScimPatchOperation[] {
  const operations: ScimPatchOperation[] = [];
  if (!sameUserName(applied.userName, desired.userName)) {
    operations.push({ op: 'replace', path: 'userName', value: desired.userName });
  }
  if (applied.name.givenName !== desired.name.givenName) operations.push(optionalOp('name.givenName', desired.name.givenName));
  if (applied.name.familyName !== desired.name.familyName) {
    operations.push(optionalOp('name.familyName', desired.name.familyName));
  }
  if (!sameEmails(applied.emails, desired.emails)) {
    // The whole array: a filtered path (emails[type eq "work"].value) fails with noTarget on many servers.
    const emails = desired.emails.map((email) => ({ ...email }));
    operations.push(emails.length === 0 ? { op: 'remove', path: 'emails' } : { op: 'replace', path: 'emails', value: emails });
  }
  if (applied.externalId !== desired.externalId) operations.push(optionalOp('externalId', desired.externalId));
  if (!sameLanguage(applied.preferredLanguage, desired.preferredLanguage)) {
    operations.push(optionalOp('preferredLanguage', desired.preferredLanguage));
  }
  if (applied.active !== desired.active) operations.push({ op: 'replace', path: 'active', value: desired.active });
  return operations;
}

/**
 * The minimal SCIM PatchOp taking Terranova from `applied` (what we last applied, or what Terranova holds) to
 * `desired`: lowercase ops, one op per attribute with an explicit path, emails replaced as a whole array,
 * JSON booleans. Undefined when nothing changed, because an empty `Operations` list is rejected by strict
 * servers. A userName or preferredLanguage differing only in case is not a change.
 */
export function diffTerranovaUser(applied: TerranovaUser, desired: TerranovaUser): ScimPatchRequest | undefined {
  const operations = changedOperations(applied, desired);
  if (operations.length === 0) return undefined;
  return { schemas: [SCIM_SCHEMA_URNS.patchOp], Operations: operations };
}
