import { z } from 'zod';

interface JsonSchemaNode {
  type?: string | string[];
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  format?: string;
  additionalProperties?: boolean | JsonSchemaNode;
}

export interface ConfigReferenceRow {
  key: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

const isSecretRef = (node: JsonSchemaNode) =>
  node.anyOf?.length === 2 && node.anyOf.every((option) => option.required?.length === 1 && ['env', 'file'].includes(option.required[0]!));

function typeOf(node: JsonSchemaNode): string {
  if (isSecretRef(node)) return 'secret: `{ "env": NAME }` or `{ "file": PATH }`';
  if (node.enum) return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  if (node.anyOf) return node.anyOf.map(typeOf).join(' \\| ');
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'values'}`;
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') return 'map';
  return [node.type ?? 'value', node.format].filter(Boolean).join(' ');
}

function walk(node: JsonSchemaNode, path: string, required: boolean, rows: ConfigReferenceRow[]): void {
  const hasChildren = node.type === 'object' && node.properties && !isSecretRef(node);
  const arrayOfObjects = node.type === 'array' && node.items?.properties;
  if (path) {
    const defaultText = node.default === undefined || (typeof node.default === 'object' && hasChildren) ? '' : `\`${JSON.stringify(node.default)}\``;
    rows.push({ key: path, type: hasChildren ? 'object' : typeOf(node), required, default: defaultText, description: node.description ?? '' });
  }
  if (hasChildren) {
    for (const [name, child] of Object.entries(node.properties!)) walk(child, path ? `${path}.${name}` : name, (node.required ?? []).includes(name), rows);
  }
  if (arrayOfObjects) {
    for (const [name, child] of Object.entries(node.items!.properties!)) walk(child, `${path}[].${name}`, (node.items!.required ?? []).includes(name), rows);
  }
}

/** Every key of a config schema with its type, whether it is required, its default and its description. */
export function configReferenceRows(schema: z.ZodType): ConfigReferenceRow[] {
  const rows: ConfigReferenceRow[] = [];
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaNode, '', true, rows);
  return rows;
}

/** The same as a Markdown table, for the README and `--help-config`. */
export function configReferenceMarkdown(schema: z.ZodType): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = ['| key | type | required | default | description |', '|---|---|---|---|---|'];
  for (const row of configReferenceRows(schema)) {
    lines.push(`| \`${row.key}\` | ${row.type} | ${row.required && !row.default ? 'yes' : ''} | ${row.default} | ${escape(row.description)} |`);
  }
  return lines.join('\n');
}
