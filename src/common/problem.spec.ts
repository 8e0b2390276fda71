import { HttpException } from '@nestjs/common';
import { UpstreamError } from '../soap/upstream-error';
import {
  PROBLEM_TYPE_BASE,
  ProblemException,
  buildProblem,
  problemFromUpstreamError,
  redactSecrets,
  statusForUpstreamError,
} from './problem';

const fault = (code: string, message = 'reason', trace?: string) =>
  new UpstreamError('fault', code, message, { trace, side: 'sender' });
const result = (code: string) => UpstreamError.result(code, `failed: ${code}`);

describe('statusForUpstreamError', () => {
  const table: Array<[string, number, 'fault' | 'result']> = [
    ['service.AUTH_REQUIRED', 401, 'fault'],
    ['service.AUTH_EXPIRED', 401, 'fault'],
    ['account.AUTH_FAILED', 401, 'fault'],
    ['service.PERM_DENIED', 403, 'fault'],
    ['im.NOT_ALLOWED', 403, 'fault'],
    ['not_allowed', 403, 'result'],
    ['PasswordRequired', 403, 'result'],
    ['Banned', 403, 'result'],
    ['NotAllowed', 403, 'result'],
    ['NotAMember', 403, 'result'],
    ['not_found', 404, 'result'],
    ['NoSuchRoom', 404, 'result'],
    ['im.NOT_A_CONFERENCE_ROOM', 404, 'fault'],
    ['im.NOT_A_CONFERENCE_SERVICE', 404, 'fault'],
    ['not_a_conference_room', 404, 'result'],
    ['NicknameConflict', 409, 'result'],
    ['MustUseReservedRoomnick', 409, 'result'],
    ['MaxUsers', 409, 'result'],
    ['im.NOT_A_MUC_CHAT', 409, 'fault'],
    ['im.INVALID_ADDRESS', 422, 'fault'],
    ['service.FAILURE', 502, 'fault'],
    ['im.XMPP_ERROR', 502, 'fault'],
    ['service.TEMPORARILY_UNAVAILABLE', 503, 'fault'],
    ['im.NO_RESPONSE', 504, 'fault'],
    ['no_response_from_remote', 504, 'result'],
  ];

  it.each(table)('%s → %i', (code, status, kind) => {
    const err = kind === 'fault' ? fault(code) : result(code);
    expect(statusForUpstreamError(err)).toBe(status);
    expect(problemFromUpstreamError(err)).toMatchObject({ status, code });
  });

  it('maps a code the same whether it came as a fault or as a result', () => {
    for (const [code, status] of table) {
      expect(statusForUpstreamError(fault(code))).toBe(status);
      expect(statusForUpstreamError(result(code))).toBe(status);
    }
  });

  it('maps any other fault or result code to 502', () => {
    expect(statusForUpstreamError(fault('mail.NO_SUCH_THING'))).toBe(502);
    expect(statusForUpstreamError(result('weird'))).toBe(502);
    expect(statusForUpstreamError(fault('toString'))).toBe(502);
    expect(statusForUpstreamError(fault('service.auth_expired'))).toBe(502);
  });

  it('maps transport trouble by kind', () => {
    expect(statusForUpstreamError(UpstreamError.unavailable('ECONNREFUSED'))).toBe(503);
    expect(statusForUpstreamError(UpstreamError.timeout('slow'))).toBe(504);
    expect(statusForUpstreamError(UpstreamError.badResponse('not xml'))).toBe(502);
    expect(statusForUpstreamError(UpstreamError.badResponse('http 500 no fault', 500))).toBe(502);
    expect(statusForUpstreamError(UpstreamError.badResponse('http 404', 404))).toBe(502);
    expect(statusForUpstreamError(UpstreamError.badResponse('http 503', 503))).toBe(503);
  });
});

describe('problemFromUpstreamError', () => {
  it('carries the fault code, reason and trace', () => {
    const p = problemFromUpstreamError(fault('service.AUTH_EXPIRED', 'auth credentials have expired', 'qtp1-2:3'));
    expect(p).toEqual({
      type: `${PROBLEM_TYPE_BASE}service.AUTH_EXPIRED`,
      title: 'Unauthorized',
      status: 401,
      detail: 'auth credentials have expired',
      code: 'service.AUTH_EXPIRED',
      upstream: { code: 'service.AUTH_EXPIRED', trace: 'qtp1-2:3' },
    });
  });

  it('leaves trace out when the fault had none, and upstream out for results', () => {
    expect(problemFromUpstreamError(fault('service.FAILURE')).upstream).toEqual({ code: 'service.FAILURE' });
    const p = problemFromUpstreamError(result('NicknameConflict'));
    expect(p.upstream).toBeUndefined();
    expect(p).toMatchObject({ status: 409, code: 'NicknameConflict', title: 'Conflict' });
  });

  it('uses our codes and generic details for transport trouble', () => {
    const unavailable = problemFromUpstreamError(UpstreamError.unavailable('connect ECONNREFUSED 10.1.2.3:443'));
    expect(unavailable).toMatchObject({ status: 503, code: 'upstream.UNAVAILABLE' });
    expect(unavailable.detail).not.toContain('10.1.2.3');
    expect(problemFromUpstreamError(UpstreamError.timeout('x'))).toMatchObject({ status: 504, code: 'upstream.TIMEOUT' });
    expect(problemFromUpstreamError(UpstreamError.badResponse('<html>'))).toMatchObject({
      status: 502,
      code: 'upstream.BAD_RESPONSE',
    });
    expect(problemFromUpstreamError(UpstreamError.badResponse('http 503', 503))).toMatchObject({
      status: 503,
      code: 'upstream.UNAVAILABLE',
    });
    expect(problemFromUpstreamError(new UpstreamError('timeout', 'roster.TIMEOUT', 'no roster'))).toMatchObject({
      status: 504,
      code: 'roster.TIMEOUT',
    });
  });

  it('never echoes a token or password from a fault reason', () => {
    const token = '0_8f3a9c0d1e2b3a4c5d6e7f8091a2b3c4d5e6f708_69643d33363a';
    const p = problemFromUpstreamError(fault('service.AUTH_EXPIRED', `bad authToken ${token} for password=hunter2`));
    expect(p.detail).not.toContain(token);
    expect(p.detail).not.toContain('hunter2');
  });
});

describe('redactSecrets', () => {
  it('keeps ordinary text and addresses', () => {
    expect(redactSecrets('no such chat: bob@example.com')).toBe('no such chat: bob@example.com');
  });
  it('redacts key=value secrets, bearer values and long opaque runs', () => {
    expect(redactSecrets('token=abc123 ok')).toBe('token=[redacted] ok');
    expect(redactSecrets('Bearer abc.def')).toBe('Bearer [redacted]');
    expect(redactSecrets(`x ${'a1'.repeat(30)} y`)).toBe('x [redacted] y');
  });
});

describe('ProblemException', () => {
  it('is an HttpException whose response is the problem document', () => {
    const e = new ProblemException(429, 'rate.LIMITED', 'Slow down.', undefined, { headers: { 'Retry-After': '2' } });
    expect(e).toBeInstanceOf(HttpException);
    expect(e.getStatus()).toBe(429);
    expect(e.headers).toEqual({ 'Retry-After': '2' });
    expect(e.getResponse()).toEqual({
      type: `${PROBLEM_TYPE_BASE}rate.LIMITED`,
      title: 'Too Many Requests',
      status: 429,
      detail: 'Slow down.',
      code: 'rate.LIMITED',
    });
  });

  it('builds request.INVALID with errors and a detail naming the fields', () => {
    const e = ProblemException.invalid([
      { field: 'account', message: 'account is required' },
      { field: 'groups.0', message: 'groups.0 must not contain a comma' },
    ]);
    expect(e.problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(e.problem.detail).toContain('account');
    expect(e.problem.detail).toContain('groups.0');
    expect(e.problem.errors).toHaveLength(2);
  });

  it('uses fixed RFC 9110 reason phrases as titles', () => {
    expect(problemFromUpstreamError(fault('im.INVALID_ADDRESS')).title).toBe('Unprocessable Content');
    expect(buildProblem(413, 'request.TOO_LARGE', 'x').title).toBe('Content Too Large');
    expect(buildProblem(504, 'upstream.TIMEOUT', 'x').title).toBe('Gateway Timeout');
  });

  it('escapes odd codes in the type URI', () => {
    expect(buildProblem(502, 'a b/c', 'x').type).toBe(`${PROBLEM_TYPE_BASE}a%20b%2Fc`);
  });
});
