import { IdleClients } from './idle-clients';

describe('IdleClients', () => {
  it('tells the upstream "idle" only when every client is idle, and "active" as soon as one is back', () => {
    const clients = new IdleClients();
    expect(clients.connected('phone')).toBeUndefined();
    expect(clients.connected('web')).toBeUndefined();
    expect(clients.report('phone', true, 300)).toBeUndefined();
    expect(clients.report('web', true, 600)).toEqual({ idle: true, idleSeconds: 600 });
    expect(clients.report('web', true, 900)).toBeUndefined(); // already idle upstream
    expect(clients.report('phone', false, 0)).toEqual({ idle: false, idleSeconds: 0 });
  });

  it('a new active client wakes the user; its leaving lets the rest be idle again', () => {
    const clients = new IdleClients();
    expect(clients.report('web', true, 60)).toEqual({ idle: true, idleSeconds: 60 });
    expect(clients.connected('socket-1')).toEqual({ idle: false, idleSeconds: 0 });
    expect(clients.disconnected('socket-1')).toEqual({ idle: true, idleSeconds: 60 });
  });

  it('a client with two sockets stays until both are gone', () => {
    const clients = new IdleClients();
    clients.report('web', true, 60);
    clients.connected('phone');
    clients.connected('phone');
    expect(clients.disconnected('phone')).toBeUndefined();
    expect(clients.disconnected('phone')).toEqual({ idle: true, idleSeconds: 60 });
  });

  it('after a session replacement, an idle user is reported idle again', () => {
    const clients = new IdleClients();
    clients.report('web', true, 60);
    expect(clients.sessionReplaced()).toEqual({ idle: true, idleSeconds: 60 });
  });
});
