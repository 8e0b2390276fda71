import type { FastifyInstance } from 'fastify';
import { ProblemException, ProblemFieldError } from './problem';
import { jsonShapeErrors, MAX_BODY_DEPTH, tooDeep } from './validation';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

function decodeKey(literal: string): string {
  try {
    const key: unknown = JSON.parse(literal);
    return typeof key === 'string' ? key : '';
  } catch {
    return '';
  }
}

/**
 * Where JSON text nests arrays and objects deeper than `max`, found without parsing it: one pass
 * over the characters, no recursion, so a 10 000-level body costs what its length costs. Named by
 * the top-level property it sits in (`''` when the body itself is the deep value). The syntax is not
 * checked here: the parser does that afterwards.
 */
export function excessiveNesting(text: string, max = MAX_BODY_DEPTH): ProblemFieldError | undefined {
  let depth = 0;
  let inString = false;
  let stringStart = 0;
  let bodyIsObject = false;
  let expectingTopKey = false;
  let topKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++;
      } else if (c === QUOTE) {
        inString = false;
        if (depth === 1 && expectingTopKey) {
          topKey = decodeKey(text.slice(stringStart, i + 1));
          expectingTopKey = false;
        }
      }
      continue;
    }
    switch (c) {
      case QUOTE:
        inString = true;
        stringStart = i;
        break;
      case OPEN_OBJECT:
      case OPEN_ARRAY:
        depth++;
        if (depth > max) return tooDeep(bodyIsObject ? topKey : '');
        if (depth === 1) {
          bodyIsObject = c === OPEN_OBJECT;
          expectingTopKey = bodyIsObject;
        }
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        depth--;
        break;
      case COMMA:
        if (depth === 1) expectingTopKey = bodyIsObject;
        break;
    }
  }
  return undefined;
}

/**
 * The only body parser: `application/json`, as the API speaks nothing else (other media types are a
 * 415). An empty body is no body: many HTTP clients send `content-type: application/json` on every
 * request, a bodiless DELETE included; a route that takes a body then reports its missing fields as
 * for a request without one. Too deep a body is refused before it is parsed; then Fastify's own JSON
 * parser runs with the server's prototype-poisoning settings. A body it refuses for a `__proto__` or
 * `constructor.prototype` key is reported naming that key rather than as malformed JSON.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  fastify.removeContentTypeParser(['text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text === '') {
      done(null, undefined);
      return;
    }
    const tooDeepError = excessiveNesting(text);
    if (tooDeepError) {
      done(ProblemException.invalid([tooDeepError]), undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) done(forbiddenKeys(text) ?? err, undefined);
      else done(null, value);
    });
  });
}

/** When text the parser refused is JSON after all, the prototype keys that made it refuse. */
function forbiddenKeys(text: string): ProblemException | undefined {
  let value: unknown;
  try {
    // Safe: JSON.parse makes `__proto__` an own property, it never sets the prototype.
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const errors = jsonShapeErrors(value);
  return errors.length > 0 ? ProblemException.invalid(errors) : undefined;
}
