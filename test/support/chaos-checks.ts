import type { ChaosClient, Connection } from './chaos-client';
import type { Frame } from './ws-client';

/** Where a message sits in one history: thread and seq (from 1, as the public API numbers it). */
export interface Placement {
  thread: string;
  seq: number;
}

/** A message send through the public API, as the harness saw it. */
export interface SendRecord {
  from: string;
  to: string;
  text: string;
  status: number;
  thread?: string;
  seq?: number;
}

/** What the checks read of a client. */
export type JudgedClient = Pick<ChaosClient, 'name' | 'account' | 'connections'>;

export interface ChaosEvidence {
  /** Only messages whose text starts with this are counted (the run's own). */
  prefix: string;
  clients: JudgedClient[];
  /** Per client name: texts read from REST history after a resync (what a resync excuses). */
  recovered: Map<string, Set<string>>;
  /** Per account: every stored message of the run, from the simulator (the truth). */
  truth: Map<string, Map<string, Placement>>;
  /** Per account: every message of the run as the proxy's REST history shows it at the end. */
  histories: Map<string, Map<string, Placement[]>>;
  sends: SendRecord[];
  /** REST answers that are neither a success nor a documented upstream-trouble problem. */
  badStatuses: string[];
  crashes: string[];
  longPollOverlaps: number;
}

export interface ChaosCounts {
  sent: number;
  sentOk: number;
  stored: number;
  delivered: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  resyncs: number;
  /** Sockets the proxy closed (e.g. 4008 too slow); the client resumed each. */
  serverCloses: number;
  idViolations: number;
  sendMismatches: number;
  badStatuses: number;
  crashes: number;
  longPollOverlaps: number;
}

export interface ChaosVerdict {
  counts: ChaosCounts;
  /** One line per distinct problem (capped), empty when the run is clean. */
  failures: string[];
}

const MAX_FAILURE_LINES = 5_000;

/**
 * Compares event ids of one token. The ids are opaque to clients but increasing; the proxy writes
 * them as dot-separated counters, compared here segment by segment.
 */
export function compareEventIds(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const x = parseInt(as[i] ?? '0', 36);
    const y = parseInt(bs[i] ?? '0', 36);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** The logical event stream of a client across its connections, and every id rule it broke. */
export function followClient(client: JudgedClient): { stream: Frame[]; violations: string[]; resyncs: number } {
  const stream: Frame[] = [];
  const violations: string[] = [];
  let resyncs = 0;
  let newest: string | undefined;
  /** Stretches of the stream this client skipped when told to resync: (after, upTo], by id. */
  const holes: [string, string][] = [];
  client.connections.forEach((conn, n) => {
    const where = `${client.name} connection ${n} (${conn.kind}${conn.after !== undefined ? ` after=${conn.after}` : ''})`;
    resyncs += conn.frames.filter((f) => f.type === 'resync').length;
    violations.push(...resumeViolations(conn, where));
    // The resync {gap} answering an unreplayable ?after= is this socket's alone, not part of the
    // token's stream: an id on it is reported above and must not pass for an event.
    const unreplayable = conn.kind !== 'fresh' && !conn.ready?.resumed && conn.frames[0]?.type === 'resync';
    const events = (unreplayable ? conn.frames.slice(1) : conn.frames).filter((f) => f.id !== undefined);
    const ids = new Set<string>();
    events.forEach((e, i) => {
      if (ids.has(e.id as string)) violations.push(`[id] ${where}: event id ${e.id} twice`);
      ids.add(e.id as string);
      if (i > 0 && compareEventIds(e.id as string, events[i - 1].id as string) <= 0) {
        violations.push(`[id] ${where}: id ${e.id} after ${events[i - 1].id}`);
      }
    });
    // A stale resume first replays what the client already had after that id; only the rest is new.
    let replayed = 0;
    if (conn.kind === 'stale' && conn.ready?.resumed && newest !== undefined) {
      while (replayed < events.length && compareEventIds(events[replayed].id as string, newest) <= 0) replayed++;
      const problem = staleReplayProblem(events.slice(0, replayed), stream, conn.after as string, holes);
      if (problem) violations.push(`[resume] ${where}: ${problem}`);
    }
    // Not resumed: the client starts over from the newest event, skipping what came since its last one.
    if (conn.kind !== 'fresh' && conn.ready && !conn.ready.resumed && newest !== undefined && conn.ready.lastId) {
      holes.push([newest, conn.ready.lastId]);
    }
    for (const e of events.slice(replayed)) {
      if (newest !== undefined && compareEventIds(e.id as string, newest) <= 0) {
        violations.push(`[id] ${where}: id ${e.id} is not after ${newest}, the newest seen before`);
      }
      stream.push(e);
      newest = e.id;
    }
  });
  return { stream, violations, resyncs };
}

/** An `?after=` that cannot be replayed must give resumed=false and an id-less `resync {gap}` first. */
function resumeViolations(conn: Connection, where: string): string[] {
  if (conn.kind === 'fresh' || !conn.ready) return [];
  const out: string[] = [];
  if ((conn.kind === 'bogus' || conn.kind === 'future') && conn.ready.resumed) out.push(`[resume] ${where}: resumed from an id never issued`);
  if (!conn.ready.resumed) {
    const first = conn.frames[0];
    if (!first || first.type !== 'resync' || first.id !== undefined || first.data?.reason !== 'gap') {
      out.push(`[resume] ${where}: not resumed, but the first frame is ${JSON.stringify(first ?? null)} instead of an id-less resync {gap}`);
    }
  }
  return out;
}

/**
 * A stale replay must be exactly what the client had after that id: same ids, same types, same order,
 * plus the events of any stretch it skipped when it was told to resync.
 */
function staleReplayProblem(replay: Frame[], stream: Frame[], after: string, holes: [string, string][]): string | undefined {
  const inHole = (f: Frame) => holes.some(([lo, hi]) => compareEventIds(f.id as string, lo) > 0 && compareEventIds(f.id as string, hi) <= 0);
  replay = replay.filter((f) => !inHole(f));
  const from = stream.findIndex((e) => e.id === after);
  const expected = from < 0 ? [] : stream.slice(from + 1);
  const show = (f: Frame | undefined) => (f ? `${f.id} ${f.type}` : 'nothing');
  for (let i = 0; i < Math.max(expected.length, replay.length); i++) {
    if (replay[i]?.id !== expected[i]?.id || replay[i]?.type !== expected[i]?.type) {
      return `replay #${i} is ${show(replay[i])}, expected ${show(expected[i])} (${replay.length} replayed, ${expected.length} expected)`;
    }
  }
  return undefined;
}

/** The verdict of a run: counts, and a line for each thing that went wrong. */
export function judge(evidence: ChaosEvidence): ChaosVerdict {
  const failures: string[] = [];
  const fail = (line: string) => {
    if (failures.length < MAX_FAILURE_LINES) failures.push(line);
    else if (failures.length === MAX_FAILURE_LINES) failures.push('… more failures left out');
  };
  const counts: ChaosCounts = {
    sent: evidence.sends.length,
    sentOk: evidence.sends.filter((s) => s.status === 201).length,
    stored: new Set([...evidence.truth.values()].flatMap((m) => [...m.keys()])).size,
    delivered: 0, lost: 0, duplicated: 0, outOfOrder: 0, resyncs: 0,
    serverCloses: evidence.clients.flatMap((c) => c.connections).filter((c) => c.closedByServer).length,
    idViolations: 0, sendMismatches: 0,
    badStatuses: evidence.badStatuses.length,
    crashes: evidence.crashes.length,
    longPollOverlaps: evidence.longPollOverlaps,
  };

  for (const client of evidence.clients) {
    const { stream, violations, resyncs } = followClient(client);
    counts.resyncs += resyncs;
    counts.idViolations += violations.length;
    violations.forEach(fail);
    const truth = evidence.truth.get(client.account) ?? new Map<string, Placement>();
    const recovered = evidence.recovered.get(client.name) ?? new Set<string>();
    const seen = new Map<string, number>();
    const lastSeq = new Map<string, number>();
    for (const e of stream) {
      if (e.type !== 'message' || !String(e.data?.text).startsWith(evidence.prefix)) continue;
      const { thread, seq, text } = e.data as { thread: string; seq: number; text: string };
      const times = (seen.get(text) ?? 0) + 1;
      seen.set(text, times);
      if (times > 1) {
        counts.duplicated++;
        fail(`[duplicate] ${client.name}: message "${text}" (${thread} #${seq}) delivered ${times} times, again as event ${e.id}`);
      }
      if (seq <= (lastSeq.get(thread) ?? 0)) {
        counts.outOfOrder++;
        fail(`[order] ${client.name}: ${thread} #${seq} ("${text}", event ${e.id}) after #${lastSeq.get(thread)}`);
      }
      lastSeq.set(thread, Math.max(seq, lastSeq.get(thread) ?? 0));
      const stored = truth.get(text);
      if (!stored) fail(`[seq] ${client.name}: message "${text}" (${thread} #${seq}, event ${e.id}) delivered but never stored for ${client.account}`);
      else if (stored.thread !== thread || stored.seq !== seq) {
        counts.outOfOrder++;
        fail(`[seq] ${client.name}: "${text}" delivered as ${thread} #${seq}, stored as ${stored.thread} #${stored.seq}`);
      }
    }
    counts.delivered += seen.size;
    for (const [text, at] of truth) {
      if (seen.has(text) || recovered.has(text)) continue;
      counts.lost++;
      fail(`[lost] ${client.name}: "${text}" (${at.thread} #${at.seq}) never delivered and not covered by a resync; ${whereElse(evidence.clients, client, text)}`);
    }
  }

  for (const send of evidence.sends) {
    for (const account of [send.from, send.to]) {
      const found = evidence.histories.get(account)?.get(send.text) ?? [];
      const ok = send.status === 201
        ? found.length === 1 && found[0].thread === send.thread && found[0].seq === send.seq
        : found.length <= 1;
      if (!ok) {
        counts.sendMismatches++;
        fail(`[send] send "${send.text}" ${send.from} → ${send.to} answered ${send.status}${send.thread ? ` ${send.thread} #${send.seq}` : ''}; ${account}'s history has ${JSON.stringify(found)}`);
      }
    }
  }
  for (const [account, messages] of evidence.truth) {
    for (const [text, at] of messages) {
      const found = evidence.histories.get(account)?.get(text) ?? [];
      if (found.length !== 1 || found[0].thread !== at.thread || found[0].seq !== at.seq) {
        fail(`[history] ${account}: REST history shows "${text}" as ${JSON.stringify(found)}, stored as ${at.thread} #${at.seq}`);
      }
    }
  }
  evidence.badStatuses.forEach((line) => fail(`[status] ${line}`));
  evidence.crashes.forEach((line) => fail(`[crash] ${line}`));
  if (evidence.longPollOverlaps > 0) fail(`[long-poll] ${evidence.longPollOverlaps} times a second long-poll ran on a session while one was in flight`);
  return { counts, failures };
}

/** For a lost message: the event ids the account's other sockets got it as, and this client's last connections. */
function whereElse(clients: JudgedClient[], client: JudgedClient, text: string): string {
  const twins = clients.filter((c) => c !== client && c.account === client.account);
  const as = twins.flatMap((c) => c.connections.flatMap((conn) => conn.frames.filter((f) => f.type === 'message' && f.data?.text === text).map((f) => `${c.name} as ${f.id}`)));
  const timeline = client.connections.map((conn) => {
    const ids = conn.frames.filter((f) => f.id !== undefined).map((f) => f.id as string);
    const closed = conn.closedByServer ? ` closed ${conn.closedByServer.code}` : '';
    return `${conn.kind}${conn.after !== undefined ? `(${conn.after})` : ''}→${conn.ready?.resumed ? 'resumed' : 'fresh'}[${ids[0] ?? '-'}..${ids[ids.length - 1] ?? '-'}, ${conn.frames.length} frames${closed}]`;
  });
  return `the account's other sockets got it ${as.length ? as.join(', ') : 'nowhere'}; connections ${timeline.slice(-6).join(' ')}`;
}

/** What a failing run prints: how many lines each check produced, then the first few of each. */
export function describeFailures(failures: string[], perCheck = 8): string {
  const byCheck = new Map<string, string[]>();
  for (const line of failures) {
    const check = /^\[([\w-]+)\]/.exec(line)?.[1] ?? 'other';
    byCheck.set(check, [...(byCheck.get(check) ?? []), line]);
  }
  const counts = Object.fromEntries([...byCheck].map(([check, lines]) => [check, lines.length]));
  const shown = [...byCheck.values()].flatMap((lines) => [
    ...lines.slice(0, perCheck),
    ...(lines.length > perCheck ? [`  … ${lines.length - perCheck} more like this`] : []),
  ]);
  return [`failure lines by check: ${JSON.stringify(counts)}`, ...shown].join('\n');
}
