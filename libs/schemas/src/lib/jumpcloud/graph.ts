import { z } from 'zod';

/** Object types of the v2 graph (`GraphType`). */
export const GRAPH_TYPES = [
  'user', 'user_group', 'application', 'system', 'system_group', 'ldap_server', 'radius_server', 'g_suite',
  'office_365', 'active_directory', 'policy', 'policy_group', 'command', 'idp_routing_policy',
  'password_manager_item',
] as const;

/** Operations of a v2 association request (`GraphOperation`). */
export const GRAPH_OPERATIONS = ['add', 'remove', 'update'] as const;

/** A node reference in the v2 graph; `type` is a string so a new graph type does not break reading. */
export const graphObjectSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  attributes: z.json().optional(),
});

/** A `GraphConnection` (an edge): `GET /v2/applications/{id}/associations` returns an array of them. */
export const graphConnectionSchema = z.looseObject({
  from: graphObjectSchema.optional(),
  to: graphObjectSchema,
  attributes: z.json().optional(),
});

/**
 * A `GraphObjectWithPaths`: `GET /v2/applications/{id}/users` (every user bound directly or through groups)
 * returns an array of them; `paths` lists the edges that bind the object.
 */
export const graphObjectWithPathsSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  compiledAttributes: z.json().optional(),
  paths: z.array(z.array(graphConnectionSchema)).optional(),
});

/** The body of `POST /v2/applications/{id}/associations` (and the other association endpoints). */
export const graphAssociationRequestSchema = z.looseObject({
  op: z.enum(GRAPH_OPERATIONS),
  type: z.string().min(1),
  id: z.string().min(1),
  attributes: z.json().optional(),
});

export const graphObjectWithPathsListSchema = z.array(graphObjectWithPathsSchema);
export const graphConnectionListSchema = z.array(graphConnectionSchema);

export type GraphObject = z.infer<typeof graphObjectSchema>;
export type GraphConnection = z.infer<typeof graphConnectionSchema>;
export type GraphObjectWithPaths = z.infer<typeof graphObjectWithPathsSchema>;
export type GraphAssociationRequest = z.infer<typeof graphAssociationRequestSchema>;
export type GraphType = (typeof GRAPH_TYPES)[number];
