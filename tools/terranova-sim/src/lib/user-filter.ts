import { parse, type Filter } from 'scim2-parse-filter';
import { SimError } from './scim-response.ts';

// `userName eq "<JSON string>"`, operator and attribute in any case. The literal is decoded with JSON.parse
// because scim2-parse-filter keeps `\\` doubled, and userNames with a backslash must match exactly.
const USERNAME_EQ = /^\s*username\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/i;

function attributesOf(filter: Filter): string[] {
  switch (filter.op) {
    case 'and':
    case 'or':
      return filter.filters.flatMap(attributesOf);
    case 'not':
      return attributesOf(filter.filter);
    case '[]':
      return [filter.attrPath, ...attributesOf(filter.valFilter)];
    default:
      return [filter.attrPath];
  }
}

/**
 * The userName a filter asks for. Terranova answers only `userName eq` lookups: a filter on emails gets
 * 400 invalidFilter (JumpCloud looks users up by userName for that reason), and so does anything else.
 */
export function userNameFromFilter(filter: string): string {
  const match = USERNAME_EQ.exec(filter);
  if (match?.[1] !== undefined) return JSON.parse(match[1]) as string;
  let ast: Filter;
  try {
    ast = parse(filter);
  } catch {
    throw new SimError(400, 'the filter is malformed', 'invalidFilter');
  }
  if (attributesOf(ast).some((attribute) => /^emails(\.|$)/i.test(attribute))) {
    throw new SimError(400, 'filtering on emails is not supported', 'invalidFilter');
  }
  throw new SimError(400, 'only userName eq "<value>" filters are supported', 'invalidFilter');
}
