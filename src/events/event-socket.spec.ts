import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
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
});
