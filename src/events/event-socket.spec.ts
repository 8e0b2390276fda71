import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { LinkEvent } from '../link/events';
import { CLOSE, EventSocket } from './event-socket';

/** Just enough of a ws WebSocket to drive EventSocket's frame handling, with a send that can fail. */
class FailingWs extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  failing = false;
  closed: { code: number; reason: string }[] = [];
  send(): void {
    if (this.failing) throw new Error('write after end');
  }
  close(code: number, reason: string): void {
    this.closed.push({ code, reason });
    this.readyState = 2;
  }
}

describe('EventSocket', () => {
  afterEach(() => jest.restoreAllMocks());

  it('an error while handling a client frame closes that socket with 1011 and is logged, never thrown out of the listener', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const ws = new FailingWs();
    const socket = new EventSocket(ws as unknown as WebSocket, 1024);
    socket.start({ resumed: false, lastId: null }, [], false);
    ws.failing = true;

    expect(() => ws.emit('message', Buffer.from('{"op":"ping"}'), false)).not.toThrow();
    expect(ws.closed).toEqual([{ code: CLOSE.INTERNAL, reason: 'internal error, reconnect' }]);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('write after end'));
  });

  it('numbers afresh in a new epoch (a log written anew), and still drops repeats within one', () => {
    const sent: string[] = [];
    const ws = Object.assign(new FailingWs(), { send: (frame: Buffer | string) => void sent.push(JSON.parse(frame.toString()).id) });
    const socket = new EventSocket(ws as unknown as WebSocket, 1 << 20);
    socket.start({ resumed: false, lastId: 'e1.7' }, [], false);
    sent.length = 0; // the ready frame
    const event = (id: string) => ({ id, type: 'presence', at: '2026-12-02T00:00:00.000Z', data: { address: 'a@x', show: 'away' } }) as LinkEvent;
    for (const id of ['e1.7', 'e1.8', 'e1.8', 'e2.1', 'e2.1', 'e2.2', 'e22.1', 'e2.3']) socket.deliver(event(id));
    expect(sent).toEqual(['e1.8', 'e2.1', 'e2.2', 'e22.1', 'e2.3']);
  });
});
