import { ArgumentsHost, Logger } from '@nestjs/common';
import { UpstreamError } from '../soap/upstream-error';
import { BareJidPipe, DomainNamePipe } from './bare-jid.pipe';
import { ProblemException } from './problem';
import { ProblemFilter } from './problem.filter';

function problemOf(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ProblemException);
    return (err as ProblemException).problem;
  }
  throw new Error('expected a rejection');
}

describe('BareJidPipe', () => {
  const pipe = new BareJidPipe();
  const meta = { type: 'param' as const, data: 'address' };

  it('returns a valid address unchanged', () => {
    expect(pipe.transform('bob@example.com', meta)).toBe('bob@example.com');
    expect(pipe.transform('josé@bücher.example', meta)).toBe('josé@bücher.example');
  });

  it.each(['bob@example.com/phone', 'bob', '<bob>@example.com', 'bob @example.com', 'bo\u0001b@example.com', ''])(
    'rejects %j with a 400 naming the parameter',
    (value) => {
      const p = problemOf(() => pipe.transform(value, meta));
      expect(p).toMatchObject({ status: 400, code: 'request.INVALID' });
      expect(p.errors).toEqual([{ field: 'address', message: expect.stringMatching(/^address /) }]);
    },
  );

  it('names whatever parameter it is bound to', () => {
    const p = problemOf(() => pipe.transform('x', { type: 'param', data: 'room' }));
    expect(p.errors?.[0].field).toBe('room');
  });
});

describe('DomainNamePipe', () => {
  const pipe = new DomainNamePipe();
  it('accepts a service domain and rejects an address', () => {
    expect(pipe.transform('conference.example.com', { type: 'param', data: 'service' })).toBe('conference.example.com');
    expect(problemOf(() => pipe.transform('a@b.com', { type: 'param', data: 'service' })).errors?.[0].field).toBe('service');
  });
});

describe('ProblemFilter on a WebSocket', () => {
  function wsHost(client: object): ArgumentsHost {
    return {
      getType: () => 'ws',
      switchToWs: () => ({ getClient: () => client, getData: () => undefined, getPattern: () => '' }),
    } as unknown as ArgumentsHost;
  }

  it('sends an error frame with the code and detail', () => {
    const sent: string[] = [];
    new ProblemFilter().catch(ProblemException.invalid([{ field: 'op', message: 'op is required' }]), wsHost({
      readyState: 1,
      send: (s: string) => sent.push(s),
    }));
    expect(JSON.parse(sent[0])).toEqual({
      type: 'error',
      data: { code: 'request.INVALID', detail: expect.any(String), errors: [{ field: 'op', message: 'op is required' }] },
    });
  });

  it('does not write to a closed socket', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const send = jest.fn();
    new ProblemFilter().catch(UpstreamError.timeout('x'), wsHost({ readyState: 3, send }));
    expect(send).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
