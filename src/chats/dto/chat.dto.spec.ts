import { ProblemException } from '../../common/problem';
import { rejectedBody, validateBody } from '../../common/testing/validate-body';
import { ChatThreadPipe, HistoryLimitPipe, SeqQueryPipe } from '../thread.pipe';
import { CreateChatDto, InvitationDto, PostMessageDto, TypingDto } from './chat.dto';

const transform = validateBody;
const rejected = rejectedBody;

describe('CreateChatDto / PostMessageDto', () => {
  it('accepts text, html and to at their limits', async () => {
    await expect(transform(CreateChatDto, { to: 'bob@example.com', text: 't'.repeat(10_000), html: '<b>x</b>' })).resolves.toBeInstanceOf(CreateChatDto);
    await expect(transform(PostMessageDto, { text: '/me waves', html: 'h'.repeat(30_000) })).resolves.toBeDefined();
    await expect(transform(PostMessageDto, { text: '/block is still sent', to: 'room@conference.example.com' })).resolves.toBeDefined();
  });

  it.each<[string, new () => object, Record<string, unknown>, string]>([
    ['no text', PostMessageDto, {}, 'text'],
    ['a blank text', PostMessageDto, { text: ' \n ' }, 'text'],
    ['a text over 10 000', PostMessageDto, { text: 't'.repeat(10_001) }, 'text'],
    ['a text with U+0001', PostMessageDto, { text: 'a\u0001' }, 'text'],
    ['an upstream command', PostMessageDto, { text: '/join room@conference.example.com' }, 'text'],
    ['a bare command', PostMessageDto, { text: '/INFO' }, 'text'],
    ['a null html', PostMessageDto, { text: 'x', html: null }, 'html'],
    ['an html over 30 000', PostMessageDto, { text: 'x', html: 'h'.repeat(30_001) }, 'html'],
    ['malformed html', PostMessageDto, { text: 'x', html: '<b>' }, 'html'],
    ['an unknown entity', PostMessageDto, { text: 'x', html: '&foo;' }, 'html'],
    ['a to with a resource', PostMessageDto, { text: 'x', to: 'bob@example.com/phone' }, 'to'],
    ['a subject (never sent)', PostMessageDto, { text: 'x', subject: 'hi' }, 'subject'],
    ['no to', CreateChatDto, { text: 'x' }, 'to'],
    ['a to without a domain', CreateChatDto, { to: 'bob', text: 'x' }, 'to'],
    ['a non-string html', CreateChatDto, { to: 'bob@example.com', text: 'x', html: 5 }, 'html'],
  ])('rejects %s, naming the field', async (_what, metatype, body, field) => {
    const problem = await rejected(metatype, body);
    expect(problem).toMatchObject({ status: 400, code: 'request.INVALID' });
    expect(problem.errors).toEqual([{ field, message: expect.stringMatching(new RegExp(`^(${field} |property ${field} )`)) }]);
  });
});

describe('TypingDto / InvitationDto', () => {
  it('typing must be a boolean', async () => {
    await expect(transform(TypingDto, { typing: false })).resolves.toEqual({ typing: false });
    expect((await rejected(TypingDto, { typing: 'true' })).errors).toEqual([{ field: 'typing', message: expect.any(String) }]);
  });

  it('an invitation needs a bare address; the message is optional and XML-safe', async () => {
    await expect(transform(InvitationDto, { address: 'carol@example.com', message: '' })).resolves.toBeDefined();
    expect((await rejected(InvitationDto, { message: 'hi' })).errors?.map((e) => e.field)).toEqual(['address']);
    expect((await rejected(InvitationDto, { address: 'carol@example.com', message: 'm'.repeat(1025) })).errors?.map((e) => e.field)).toEqual(['message']);
  });
});

describe('ChatThreadPipe / SeqQueryPipe / HistoryLimitPipe', () => {
  const thread = new ChatThreadPipe();
  const after = new SeqQueryPipe();
  const limit = new HistoryLimitPipe();
  const meta = (data: string) => ({ type: 'param' as const, data });

  it('accepts thread ids of 1..256 characters', () => {
    expect(thread.transform('chat-alice%example.com-0', meta('thread'))).toBe('chat-alice%example.com-0');
    expect(thread.transform('x'.repeat(256), meta('thread'))).toHaveLength(256);
  });

  it.each(['', 'x'.repeat(257), 'a\u0000b', 'a\tb', '\uFFFF', 5])('rejects the thread %j with a 400 naming it', (value) => {
    expect(() => thread.transform(value, meta('thread'))).toThrow(ProblemException);
    try {
      thread.transform(value, meta('thread'));
    } catch (err) {
      expect((err as ProblemException).problem.errors).toEqual([{ field: 'thread', message: expect.stringMatching(/^thread /) }]);
    }
  });

  it('after: absent is undefined; decimal digits are the integer', () => {
    expect(after.transform(undefined, meta('after'))).toBeUndefined();
    expect(after.transform('0', meta('after'))).toBe(0);
    expect(after.transform('12', meta('after'))).toBe(12);
    expect(after.transform('007', meta('after'))).toBe(7);
  });

  it.each(['-1', '1.5', 'x', '', ['1', '2'], '0x10', '1e3', ' 7', '7 ', '+7', '7.0', '0b1', '٣', 3, Number.NaN])('after: rejects %j', (value) => {
    expect(() => after.transform(value, meta('after'))).toThrow(ProblemException);
  });

  it('limit: absent is 1000; 1..1000 in decimal digits', () => {
    expect(limit.transform(undefined, meta('limit'))).toBe(1000);
    expect(limit.transform('1', meta('limit'))).toBe(1);
    expect(limit.transform('0050', meta('limit'))).toBe(50);
    expect(limit.transform('1000', meta('limit'))).toBe(1000);
  });

  it.each(['0', '1001', '-5', '1e2', ' 5', '5.0', '', ['5', '6'], 5])('limit: rejects %j with a 400 naming limit', (value) => {
    try {
      limit.transform(value, meta('limit'));
      throw new Error('accepted');
    } catch (err) {
      expect((err as ProblemException).problem.errors).toEqual([{ field: 'limit', message: 'limit must be an integer from 1 to 1000' }]);
    }
  });
});
