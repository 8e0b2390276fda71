import type { XmlNode } from '../soap/xml';

interface Batch {
  seq: number;
  im: XmlNode[];
}

/** More sent-but-unacked batches than this and they are all dropped (§5). */
const MAX_SENT = 20;

/**
 * One session's notification queue, exactly as §5 describes: a current batch plus the list of
 * sent-but-unacknowledged batches, each resent in every response until acked.
 */
export class NotifyQueue {
  private current: Batch = { seq: 1, im: [] };
  private sent: Batch[] = [];
  /** The newest batch with content that an ack discarded: what repeatLastAcked() replays. */
  private lastAcked?: Batch;
  private repeatPending = false;

  /** Step 1 and the start of step 3: K ≤ 0 discards everything, else everything up to K. */
  ack(k: number): void {
    const dropped = k <= 0 ? this.sent : this.sent.filter((b) => b.seq <= k);
    if (!dropped.length) return;
    this.sent = k <= 0 ? [] : this.sent.filter((b) => b.seq > k);
    const newest = dropped.filter((b) => b.im.length).pop();
    if (newest) this.lastAcked = newest;
  }

  /** Step 2: handlers append IM notifications synchronously, in posting order. */
  append(n: XmlNode): void {
    this.current.im.push(n);
  }

  /** NoOp's "return at once" test (§6): content pending now, or unacked content above K. */
  hasContentFor(k: number): boolean {
    return this.current.im.length > 0 || this.sent.some((b) => b.seq > k && b.im.length > 0);
  }

  /** Test hook: the next serialize() also writes the last already-acked block (the concurrent-request race of §5). */
  repeatLastAcked(): void {
    this.repeatPending = true;
  }

  /** An acked block with content exists, so repeatLastAcked() has something to replay. */
  get hasAcked(): boolean {
    return this.lastAcked !== undefined;
  }

  /** Sent batches not acknowledged yet. */
  get unacked(): number {
    return this.sent.length;
  }

  /** Chaos hook: drops the unacknowledged batches now, as serialize() does once more than 20 pile up. */
  discardUnacked(): void {
    this.sent = [];
  }

  /** Step 3: ack again, cap, move the current batch, and return the `<notify>` blocks to write. */
  serialize(k: number): XmlNode[] {
    this.ack(k);
    if (this.sent.length > MAX_SENT) this.sent = [];
    if (this.current.im.length) {
      this.sent.push(this.current);
      this.current = { seq: this.current.seq + 1, im: [] };
    }
    const blocks: XmlNode[] = [];
    if (this.repeatPending && this.lastAcked) blocks.push(block(this.lastAcked));
    this.repeatPending = false;
    const last = this.sent[this.sent.length - 1];
    for (const b of this.sent) if (b.im.length || b === last) blocks.push(block(b));
    return blocks;
  }
}

function block(b: Batch): XmlNode {
  const node: XmlNode = { '@_seq': String(b.seq) };
  if (b.im.length) node.im = { n: b.im };
  return node;
}
