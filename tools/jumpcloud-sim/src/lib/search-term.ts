/**
 * Directory Insights `search_term`: `{and:[…]}`, `{or:[…]}`, `{not:…}` nest; a leaf `{field: value}` matches when the
 * event's value at that dot path equals the term, or any of the term's values when it is an array. JumpCloud
 * lower-cases values when it stores them, so an upper-case term never matches, as in the real API.
 */

/** Fields the real API refuses to search. */
const NOT_SEARCHABLE = new Set(['changes', 'useragent', 'system_timestamp']);

export class SearchTermError extends Error {
  override readonly name = 'SearchTermError';
}

type Term = Record<string, unknown>;

function isTerm(value: unknown): value is Term {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(row: Record<string, unknown>, path: string): unknown {
  let current: unknown = row;
  for (const part of path.split('.')) {
    if (!isTerm(current)) return undefined;
    current = current[part];
  }
  return current;
}

function storedForm(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(storedForm);
  if (value === undefined || value === null || typeof value === 'object') return [];
  return [String(value).toLowerCase()];
}

function leafMatches(row: Record<string, unknown>, field: string, wanted: unknown): boolean {
  if (NOT_SEARCHABLE.has(field.split('.')[0] ?? field)) throw new SearchTermError(`field ${field} is not searchable`);
  const stored = storedForm(valueAt(row, field));
  const terms = (Array.isArray(wanted) ? wanted : [wanted]).map(String);
  return terms.some((term) => stored.includes(term));
}

function listOf(value: unknown, operator: string): Term[] {
  const list = Array.isArray(value) ? value : [value];
  if (!list.every(isTerm)) throw new SearchTermError(`${operator} takes search terms (objects)`);
  return list;
}

/** Whether a row matches a search term; throws SearchTermError for a malformed term. */
export function matchesSearchTerm(row: Record<string, unknown>, term: unknown): boolean {
  if (!isTerm(term)) throw new SearchTermError('search_term must be an object');
  return Object.entries(term).every(([key, value]) => {
    if (key === 'and') return listOf(value, key).every((t) => matchesSearchTerm(row, t));
    if (key === 'or') return listOf(value, key).some((t) => matchesSearchTerm(row, t));
    if (key === 'not') return !listOf(value, key).some((t) => matchesSearchTerm(row, t));
    return leafMatches(row, key, value);
  });
}
