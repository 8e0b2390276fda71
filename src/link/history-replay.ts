import { attr, XmlNode } from '../soap/xml';

/**
 * Marks which `message` notifications in a block are IMGetRoster's history replay (§12.1), whose
 * seq counts from 0 while live messages count from 1. The replay of a chat starts at seq 0 and runs
 * in order to the end of the block, so within the block of an IMGetRoster reply every message of a
 * thread from its first seq-0 message on is replay; live messages posted before the handler ran come
 * earlier in the block. (A live SYSTEM message, also seq 0, in that same block would be misread; it
 * carries no real seq, so nothing is lost.)
 */
export function historyReplayFlags(notifications: XmlNode[]): boolean[] {
  const replaying = new Set<string>();
  return notifications.map((n) => {
    if (attr(n, 'type') !== 'message') return false;
    const thread = attr(n, 'thread');
    if (!thread) return false;
    if (!replaying.has(thread) && attr(n, 'seq') === '0') replaying.add(thread);
    return replaying.has(thread);
  });
}
