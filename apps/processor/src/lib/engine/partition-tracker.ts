/**
 * What one assigned partition has handed to the processor and what is finished, so the committed offset
 * never passes an event that is not done.
 *
 * Only the offsets that are *not* done are stored: the commit position is the lowest of them, or the next
 * offset to fetch when every received offset is done. A finished offset costs nothing, so a long gap (a
 * parked tenant's event held back while thousands of other events complete) does not grow memory.
 *
 * An offset is either `pending` (its message is in memory, queued or running) or `deferred` (its tenant had
 * too much in memory, so only the offset is kept and the message is read again from Kafka later).
 */
export type OpenStatus = 'pending' | 'deferred';

/** How an offset arriving from a fetch relates to what the tracker already holds. */
export type Arrival =
  /** Never seen: admit or defer it. */
  | 'new'
  /** Seen and deferred, and now the oldest deferred offset of its tenant here: admit it. */
  | 'refill'
  /** Seen before (pending, done, or a deferred offset that must wait for an older one): ignore it. */
  | 'known';

export class PartitionTracker {
  readonly topic: string;
  readonly partition: number;
  /** Offsets not yet done, in offset order (a Map keeps insertion order, and offsets only grow). */
  private readonly open = new Map<number, { status: OpenStatus; group: string }>();
  /** Deferred offsets per tenant, ascending: they must be admitted again oldest first. */
  private readonly deferredByGroup = new Map<string, number[]>();
  /** One past the highest offset received from the fetch stream. */
  private next: number | undefined;
  /** The last position committed to Kafka. */
  private committedPosition: number | undefined;
  private pending = 0;
  private deferred = 0;
  /** Where a requested re-read of deferred offsets starts, while it has not caught up yet. */
  refillFrom: number | undefined;
  /** The partition's high watermark as of the last fetch, for the lag metric. */
  highWatermark: number | undefined;

  constructor(topic: string, partition: number) {
    this.topic = topic;
    this.partition = partition;
  }

  get pendingCount(): number {
    return this.pending;
  }

  get deferredCount(): number {
    return this.deferred;
  }

  get nextOffset(): number | undefined {
    return this.next;
  }

  /** Classifies an offset delivered by a fetch for `group` (the tenant). */
  classify(offset: number, group: string): Arrival {
    if (this.next === undefined || offset >= this.next) return 'new';
    const entry = this.open.get(offset);
    if (entry?.status !== 'deferred') return 'known';
    return this.deferredByGroup.get(group)?.[0] === offset ? 'refill' : 'known';
  }

  /** Whether a tenant has deferred offsets here: its newer offsets must then be deferred too, to keep order. */
  hasDeferred(group: string): boolean {
    return (this.deferredByGroup.get(group)?.length ?? 0) > 0;
  }

  /** Records a new offset whose message is kept in memory. */
  addPending(offset: number, group: string): void {
    this.advance(offset);
    this.open.set(offset, { status: 'pending', group });
    this.pending += 1;
  }

  /** Records a new offset whose message is dropped for now and read again later. */
  addDeferred(offset: number, group: string): void {
    this.advance(offset);
    this.open.set(offset, { status: 'deferred', group });
    const list = this.deferredByGroup.get(group);
    if (list) list.push(offset);
    else this.deferredByGroup.set(group, [offset]);
    this.deferred += 1;
  }

  /** A deferred offset was read again and its message is now in memory (call after `classify` said `refill`). */
  admitDeferred(offset: number, group: string): void {
    const list = this.deferredByGroup.get(group);
    if (list?.[0] !== offset) throw new Error(`offset ${offset} is not the oldest deferred offset of ${group}`);
    list.shift();
    if (list.length === 0) this.deferredByGroup.delete(group);
    this.open.set(offset, { status: 'pending', group });
    this.deferred -= 1;
    this.pending += 1;
  }

  /** Marks an offset done. Returns false when it was not pending (e.g. the tracker was reset meanwhile). */
  complete(offset: number): boolean {
    const entry = this.open.get(offset);
    if (entry?.status !== 'pending') return false;
    this.open.delete(offset);
    this.pending -= 1;
    return true;
  }

  /** The offset to commit: the lowest offset not done, or one past everything received. */
  commitPosition(): number | undefined {
    for (const offset of this.open.keys()) return offset;
    return this.next;
  }

  /** The position to commit when it moved since the last commit, else undefined. */
  uncommittedPosition(): number | undefined {
    const position = this.commitPosition();
    if (position === undefined) return undefined;
    return this.committedPosition === undefined || position > this.committedPosition ? position : undefined;
  }

  markCommitted(position: number): void {
    if (this.committedPosition === undefined || position > this.committedPosition) this.committedPosition = position;
  }

  /** The oldest deferred offset among the given tenants, where a re-read has to start. */
  oldestDeferred(groups: Iterable<string>): number | undefined {
    let oldest: number | undefined;
    for (const group of groups) {
      const first = this.deferredByGroup.get(group)?.[0];
      if (first !== undefined && (oldest === undefined || first < oldest)) oldest = first;
    }
    return oldest;
  }

  /** The tenants that have deferred offsets here. */
  deferredGroups(): string[] {
    return [...this.deferredByGroup.keys()];
  }

  /** Records the fetch stream reaching `offset`; a re-read that passed every received offset has caught up. */
  private advance(offset: number): void {
    this.next = offset + 1;
    if (this.refillFrom !== undefined) this.refillFrom = undefined;
  }

  /** Notes that the fetch stream has been read up to `offset` (inclusive) during a re-read. */
  noteRedelivered(offset: number): void {
    if (this.refillFrom !== undefined && this.next !== undefined && offset >= this.next - 1) this.refillFrom = undefined;
  }
}
