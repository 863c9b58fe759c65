import type { DirectoryInsightsRow } from './fixture-schemas.ts';
import { nsToMs, parseInstantNs } from './instant.ts';
import { matchesSearchTerm } from './search-term.ts';

/** One stored row: its place in the index is (timestamp ns, sequence), its search_after document id is `docId`. */
interface StoredRow {
  seq: number;
  tsNs: bigint;
  docId: string;
  row: DirectoryInsightsRow;
}

/** A parsed `POST /events` body. */
export interface EventQuery {
  services: readonly string[];
  startNs: bigint;
  endNs?: bigint;
  limit: number;
  sort: 'ASC' | 'DESC';
  searchAfter?: readonly [number, string];
  searchTerm?: unknown;
}

export interface EventPage {
  rows: DirectoryInsightsRow[];
  /** The `X-Search_after` value: the sort key of the last row, or the request's token when the page is empty. */
  searchAfter: [number, string] | [];
}

/** Quirks of the real feed the emulator can reproduce on demand. */
export interface FeedQuirks {
  /** Rows of the previous page repeated at the start of the next one (duplicates across pages). */
  pageOverlap: number;
}

function compareRows(a: StoredRow, b: StoredRow): number {
  if (a.tsNs !== b.tsNs) return a.tsNs < b.tsNs ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * The Directory Insights index of one organization. Rows are revealed as the timeline's clock passes them, so a
 * poller never sees an event "from the future" of the org's state; queries page with search_after like the real
 * API (Elasticsearch underneath): the token names the last row, the next page starts strictly after it.
 */
export class EventStore {
  private readonly visible: StoredRow[] = [];
  private hidden: StoredRow[] = [];
  private readonly byDocId = new Map<string, StoredRow>();
  private nextSeq = 0;
  quirks: FeedQuirks = { pageOverlap: 0 };

  /** Adds rows; hidden ones wait for `revealBefore`/`revealAll`. */
  add(rows: readonly DirectoryInsightsRow[], visible: boolean): void {
    for (const row of rows) {
      const tsNs = parseInstantNs(row.timestamp);
      if (tsNs === undefined) throw new Error(`event ${row.id} has an unreadable timestamp ${row.timestamp}`);
      const seq = this.nextSeq++;
      const stored: StoredRow = { seq, tsNs, row, docId: `doc${seq.toString(36).padStart(8, '0')}` };
      this.byDocId.set(stored.docId, stored);
      if (visible) this.insertVisible(stored);
      else this.hidden.push(stored);
    }
  }

  /** Reveals the hidden rows stamped before `ns` (the next timeline action). */
  revealBefore(ns: bigint): void {
    const [due, later] = partition(this.hidden, (r) => r.tsNs < ns);
    this.hidden = later;
    for (const row of due.sort(compareRows)) this.insertVisible(row);
  }

  revealAll(): void {
    this.revealBefore(BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n);
  }

  get visibleCount(): number {
    return this.visible.length;
  }

  /** Every visible row in index order, as an export (the fixtures' `directory-insights-events.json` format). */
  exportRows(): DirectoryInsightsRow[] {
    return this.visible.map((r) => structuredClone(r.row));
  }

  /** One page of a query. Throws SearchTermError for a malformed search term. */
  query(query: EventQuery): EventPage {
    const step = query.sort === 'ASC' ? 1 : -1;
    const rows: StoredRow[] = [];
    for (let i = this.startIndex(query); i >= 0 && i < this.visible.length && rows.length < query.limit; i += step) {
      const stored = this.visible[i] as StoredRow;
      if (matches(stored, query)) rows.push(stored);
    }
    const last = rows.at(-1);
    return {
      rows: rows.map((r) => structuredClone(r.row)),
      searchAfter: last ? [nsToMs(last.tsNs), last.docId] : query.searchAfter ? [...query.searchAfter] : [],
    };
  }

  /**
   * Index of the first row of a page: just past the search_after row (less the overlap quirk), else the first
   * row in the sort direction. A token naming no known row falls back to its millisecond timestamp.
   */
  private startIndex(query: EventQuery): number {
    const ascending = query.sort === 'ASC';
    if (!query.searchAfter) return ascending ? 0 : this.visible.length - 1;
    const [ms, docId] = query.searchAfter;
    const anchor = this.byDocId.get(docId);
    const probe: StoredRow = anchor ?? { seq: ascending ? Infinity : -1, tsNs: BigInt(ms) * 1_000_000n, docId, row: {} as DirectoryInsightsRow };
    const firstAfter = this.upperBound(ascending ? probe : { ...probe, seq: probe.seq - 0.5 });
    const overlap = this.quirks.pageOverlap;
    return ascending ? Math.max(0, firstAfter - overlap) : Math.min(this.visible.length - 1, firstAfter - 1 + overlap);
  }

  /** Index of the first visible row that sorts after `row`. */
  private upperBound(row: StoredRow): number {
    let low = 0;
    let high = this.visible.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (compareRows(this.visible[mid] as StoredRow, row) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private insertVisible(row: StoredRow): void {
    this.visible.splice(this.upperBound(row), 0, row);
  }
}

function matches(stored: StoredRow, query: EventQuery): boolean {
  if (!query.services.includes('all') && !query.services.includes(stored.row.service)) return false;
  if (stored.tsNs < query.startNs) return false;
  if (query.endNs !== undefined && stored.tsNs >= query.endNs) return false;
  return query.searchTerm === undefined || matchesSearchTerm(stored.row, query.searchTerm);
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
