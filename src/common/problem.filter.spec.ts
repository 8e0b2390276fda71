import {
  Body,
  Controller,
  Get,
  HttpCode,
  INestApplication,
  Logger,
  Module,
  Param,
  Post,
  Put,
  UnauthorizedException,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
import { AddressInfo } from 'node:net';
import { UpstreamError } from '../soap/upstream-error';
import { BareJidPipe } from './bare-jid.pipe';
import { ProblemException } from './problem';
import { ProblemFilter, problemFrameworkErrors, problemFromException } from './problem.filter';
import { createValidationPipe } from './validation';
import { IsXmlSafe } from './validators';

class ThingDto {
  @IsXmlSafe()
  @IsString()
  name: string;

  @IsOptional()
  @IsBoolean()
  flag?: boolean;
}

@Controller('v1')
class TestController {
  @Post('things')
  @HttpCode(201)
  create(@Body() dto: ThingDto): { name: string; isDto: boolean } {
    return { name: dto.name, isDto: dto instanceof ThingDto };
  }

  @Put('contacts/:address')
  contact(@Param('address', BareJidPipe) address: string): { address: string } {
    return { address };
  }

  @Get('fault')
  fault(): never {
    throw new UpstreamError('fault', 'service.AUTH_EXPIRED', 'auth credentials have expired', {
      trace: 'qtp1-77:1700000000:abc',
      side: 'sender',
    });
  }

  @Get('join')
  join(): never {
    throw UpstreamError.result('NicknameConflict', 'nickname already in use');
  }

  @Get('unavailable')
  unavailable(): never {
    throw UpstreamError.unavailable('connect ECONNREFUSED 10.9.8.7:8443');
  }

  @Get('limited')
  limited(): never {
    throw new ProblemException(429, 'rate.LIMITED', 'Too many requests.', undefined, { headers: { 'Retry-After': '7' } });
  }

  @Get('unauthorized')
  unauthorized(): never {
    throw new UnauthorizedException();
  }

  @Get('boom')
  boom(): never {
    throw new Error('database password is hunter2');
  }

  @Get('throw-string')
  throwString(): never {
    throw 'not an error object';
  }
}

@Module({ controllers: [TestController] })
class TestModule {}

describe('ProblemFilter (real Fastify app)', () => {
  let app: NestFastifyApplication;
  let base: string;
  let errorLog: jest.SpyInstance;

  beforeAll(async () => {
    app = await NestFactory.create<NestFastifyApplication>(TestModule, new FastifyAdapter({
        bodyLimit: 1024,
        routerOptions: { maxParamLength: 200 },
        frameworkErrors: problemFrameworkErrors,
      }), {
      logger: false,
    });
    app.useGlobalFilters(new ProblemFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await (app as INestApplication | undefined)?.close();
  });

  beforeEach(() => {
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
  });

  afterEach(() => errorLog.mockRestore());

  async function call(path: string, init: RequestInit = {}) {
    const res = await fetch(base + path, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
  }

  const postJson = (path: string, raw: string, contentType = 'application/json') =>
    call(path, { method: 'POST', headers: { 'content-type': contentType }, body: raw });

  function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String) });
    expect(typeof res.body.detail).toBe('string');
  }

  it('passes a valid body through as the DTO class', async () => {
    const res = await postJson('/v1/things', JSON.stringify({ name: 'x', flag: true }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: 'x', isDto: true });
  });

  it('answers malformed JSON with 400 request.INVALID', async () => {
    const res = await postJson('/v1/things', '{"name": "x",');
    expectProblem(res, 400, 'request.INVALID');
    expect(res.body.detail).toMatch(/not valid JSON/);
  });

  it('answers an empty JSON body with 400', async () => {
    expectProblem(await postJson('/v1/things', ''), 400, 'request.INVALID');
  });

  it('answers a __proto__ body with 400', async () => {
    expectProblem(await postJson('/v1/things', '{"name":"x","__proto__":{"admin":true}}'), 400, 'request.INVALID');
  });

  it('answers a body over the limit with 413 request.TOO_LARGE', async () => {
    const res = await postJson('/v1/things', JSON.stringify({ name: 'x'.repeat(5000) }));
    expectProblem(res, 413, 'request.TOO_LARGE');
  });

  it('answers an unsupported media type with 415', async () => {
    const res = await postJson('/v1/things', '<thing/>', 'application/xml');
    expectProblem(res, 415, 'request.UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unknown property with 400 naming it', async () => {
    const res = await postJson('/v1/things', JSON.stringify({ name: 'x', foo: 1 }));
    expectProblem(res, 400, 'request.INVALID');
    expect(res.body.errors).toEqual([{ field: 'foo', message: 'property foo should not exist' }]);
    expect(res.body.detail).toContain('foo');
  });

  it('answers a string where a boolean belongs, and a non-XML character, with one error each', async () => {
    const res = await postJson('/v1/things', JSON.stringify({ name: 'a\u0001', flag: 'true' }));
    expectProblem(res, 400, 'request.INVALID');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['flag', 'name']);
  });

  it('answers a JSON array body with a whole-body error', async () => {
    const res = await postJson('/v1/things', '[]');
    expectProblem(res, 400, 'request.INVALID');
    expect(res.body.errors).toEqual([{ field: '', message: 'request body must be a JSON object' }]);
  });

  it('answers a missing body with the required fields', async () => {
    const res = await call('/v1/things', { method: 'POST' });
    expectProblem(res, 400, 'request.INVALID');
    expect(res.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
  });

  it('answers an unknown route with 404 route.NOT_FOUND without echoing the query', async () => {
    const res = await call('/v1/nope?access_token=SECRET123');
    expectProblem(res, 404, 'route.NOT_FOUND');
    expect(res.body.detail).toBe('No route matches GET /v1/nope.');
    expect(res.text).not.toContain('SECRET123');
  });

  it('validates an address path parameter, naming it', async () => {
    const ok = await call('/v1/contacts/bob%40example.com', { method: 'PUT' });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ address: 'bob@example.com' });

    const bad = await call(`/v1/contacts/${encodeURIComponent('bob@example.com/phone')}`, { method: 'PUT' });
    expectProblem(bad, 400, 'request.INVALID');
    expect(bad.body.errors).toEqual([{ field: 'address', message: 'address must be a bare address without a /resource' }]);

    const lt = await call(`/v1/contacts/${encodeURIComponent('<x>@example.com')}`, { method: 'PUT' });
    expectProblem(lt, 400, 'request.INVALID');
  });

  it('answers router errors Fastify raises before Nest (bad percent-encoding, long parameter)', async () => {
    const bad = await call('/v1/contacts/%zz?token=SECRET', { method: 'PUT' });
    expectProblem(bad, 400, 'request.INVALID');
    expect(bad.text).not.toContain('SECRET');
    const long = await call(`/v1/contacts/${'a'.repeat(250)}`, { method: 'PUT' });
    expectProblem(long, 414, 'request.URI_TOO_LONG');
  });

  it('maps a thrown upstream fault to its status with upstream code and trace', async () => {
    const res = await call('/v1/fault');
    expectProblem(res, 401, 'service.AUTH_EXPIRED');
    expect(res.body.upstream).toEqual({ code: 'service.AUTH_EXPIRED', trace: 'qtp1-77:1700000000:abc' });
    expect(res.body.detail).toBe('auth credentials have expired');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('maps an in-body upstream error and transport trouble', async () => {
    expectProblem(await call('/v1/join'), 409, 'NicknameConflict');
    const res = await call('/v1/unavailable');
    expectProblem(res, 503, 'upstream.UNAVAILABLE');
    expect(res.text).not.toContain('10.9.8.7');
  });

  it('writes a ProblemException with its headers', async () => {
    const res = await call('/v1/limited');
    expectProblem(res, 429, 'rate.LIMITED');
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('maps Nest HttpExceptions by status (401 → auth.REQUIRED)', async () => {
    const res = await call('/v1/unauthorized');
    expectProblem(res, 401, 'auth.REQUIRED');
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers an unexpected Error with a generic 500, logged, without stack or message', async () => {
    const res = await call('/v1/boom');
    expectProblem(res, 500, 'internal');
    expect(res.body.detail).toBe('An unexpected error occurred.');
    expect(res.text).not.toContain('hunter2');
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    expect(errorLog).toHaveBeenCalled();
  });

  it('answers a thrown non-Error with a generic 500', async () => {
    expectProblem(await call('/v1/throw-string'), 500, 'internal');
  });

  it('keeps serving after errors', async () => {
    await call('/v1/boom');
    const res = await postJson('/v1/things', JSON.stringify({ name: 'still here' }));
    expect(res.status).toBe(201);
  });
});

describe('problemFromException', () => {
  it('maps raw Fastify errors that did not pass through Nest', () => {
    const fst = (code: string, statusCode: number, message = 'm') =>
      Object.assign(new Error(message), { name: 'FastifyError', code, statusCode });
    expect(problemFromException(fst('FST_ERR_CTP_INVALID_JSON_BODY', 400)).problem).toMatchObject({
      status: 400,
      code: 'request.INVALID',
      detail: 'The request body is not valid JSON.',
    });
    expect(problemFromException(fst('FST_ERR_CTP_BODY_TOO_LARGE', 413)).problem).toMatchObject({
      status: 413,
      code: 'request.TOO_LARGE',
    });
    expect(problemFromException(fst('FST_ERR_CTP_INVALID_MEDIA_TYPE', 415)).problem).toMatchObject({
      status: 415,
      code: 'request.UNSUPPORTED_MEDIA_TYPE',
    });
    expect(problemFromException(fst('FST_ERR_SOMETHING', 500, 'internal detail')).problem).toMatchObject({
      status: 500,
      code: 'internal',
      detail: 'An unexpected error occurred.',
    });
  });

  it('maps a body-parser style SyntaxError with status 400', () => {
    const err = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), { statusCode: 400 });
    expect(problemFromException(err).problem).toMatchObject({ status: 400, code: 'request.INVALID' });
  });

  it('does not trust statusCode on arbitrary errors', () => {
    const err = Object.assign(new Error('oops'), { statusCode: 404 });
    expect(problemFromException(err).problem).toMatchObject({ status: 500, code: 'internal' });
  });
});
