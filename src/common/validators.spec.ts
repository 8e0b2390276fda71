import { validateSync } from 'class-validator';
import { IsString } from 'class-validator';
import { checkBareJid, checkDomain, checkGroupName, checkXmlSafe, IsBareJid, IsGroupName, IsOptionalNonNull, IsXmlSafe } from './validators';

class JidHolder {
  @IsBareJid()
  address: unknown;
}

class TextHolder {
  @IsXmlSafe()
  text: unknown;

  @IsXmlSafe({ each: true })
  items: unknown;
}

class GroupsHolder {
  @IsGroupName({ each: true })
  groups: unknown;
}

function messages<T extends object>(cls: new () => T, values: Partial<Record<keyof T, unknown>>): string[] {
  const obj = Object.assign(new cls(), values);
  return validateSync(obj).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('IsBareJid', () => {
  it.each([
    'alice@example.com',
    'a@b',
    'alice.smith+im@mail.example.co.uk',
    'bob@localhost',
    'x@192.168.0.1',
    'josé@bücher.example',
    'user@пример.рф',
    'ユーザー@例え.テスト',
    'हिंदी@उदाहरण.भारत',
    `${'a'.repeat(64)}@example.com`,
  ])('accepts %s', (jid) => {
    expect(checkBareJid(jid)).toBeUndefined();
    expect(messages(JidHolder, { address: jid })).toEqual([]);
  });

  it.each<[string, unknown, RegExp]>([
    ['missing', undefined, /is required/],
    ['not a string', 42, /must be a string/],
    ['empty', '', /must not be empty/],
    ['a resource', 'alice@example.com/phone', /\/resource/],
    ['no @', 'alice.example.com', /local@domain/],
    ['two @', 'a@b@example.com', /exactly one @/],
    ['empty local part', '@example.com', /local part/],
    ['empty domain', 'alice@', /domain/],
    ['a space', 'alice smith@example.com', /whitespace/],
    ['a tab', 'alice@example.com\t', /whitespace/],
    ['a no-break space', 'alice\u00a0@example.com', /whitespace/],
    ['<', 'al<ice@example.com', /local part/],
    ['>', 'alice>@example.com', /local part/],
    ['"', '"alice"@example.com', /local part/],
    ["'", "o'brien@example.com", /local part/],
    ['&', 'a&b@example.com', /local part/],
    ['< in the domain', 'alice@exa<mple.com', /domain/],
    ['U+0001', 'ali\u0001ce@example.com', /control/],
    ['a C1 control', 'ali\u0085ce@example.com', /control|whitespace/],
    ['a lone high surrogate', 'ali\ud800ce@example.com', /non-XML/],
    ['a lone low surrogate', 'alice@exam\udc00ple.com', /non-XML/],
    ['U+FFFF', 'alice\uffff@example.com', /non-XML/],
    ['a 65-character local part', `${'a'.repeat(65)}@example.com`, /at most 64/],
    ['a domain label over 63', `a@${'b'.repeat(64)}.com`, /label longer than 63/],
    ['a domain over 253', `a@${Array(50).fill('abcde').join('.')}`, /at most 253/],
    ['over 320 in total', `${'a'.repeat(64)}@${Array(43).fill('abcdefg').join('.')}`, /at most 320/],
    ['a trailing dot', 'alice@example.com.', /empty label/],
    ['a double dot', 'alice@example..com', /empty label/],
    ['a leading hyphen label', 'alice@-example.com', /labels/],
    ['an underscore in the domain', 'alice@ex_ample.com', /labels/],
    ['a bracketed domain', 'alice@[127.0.0.1]', /labels/],
  ])('rejects %s', (_name, value, rule) => {
    const problem = checkBareJid(value);
    expect(problem).toMatch(rule);
    const msgs = messages(JidHolder, { address: value });
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toBe(`address ${problem}`);
  });

  it('never repeats the value in its message', () => {
    const msgs = messages(JidHolder, { address: 'secret-value@bad domain' });
    expect(msgs[0]).not.toContain('secret-value');
  });
});

describe('checkDomain', () => {
  it('accepts host names and IDNs, rejects the rest', () => {
    expect(checkDomain('conference.example.com')).toBeUndefined();
    expect(checkDomain('müller.de')).toBeUndefined();
    expect(checkDomain('a@b.com')).toMatch(/labels/);
    expect(checkDomain('example.com/x')).toMatch(/labels/);
    expect(checkDomain('example-.com')).toMatch(/labels/);
  });
});

describe('IsXmlSafe', () => {
  it('accepts ordinary text, tab/LF/CR, emoji and markup characters (escaped later)', () => {
    expect(checkXmlSafe('Hello <b>world</b> & "friends" 😀\t\r\n')).toBeUndefined();
    expect(messages(TextHolder, { text: 'fine', items: ['a', 'b'] })).toEqual([]);
  });

  it.each([
    ['U+0000', 'a\u0000b'],
    ['U+0001', 'a\u0001b'],
    ['U+001F', 'a\u001fb'],
    ['a lone high surrogate', 'a\ud83db'],
    ['a lone low surrogate', 'a\ude00b'],
    ['U+FFFE', 'a\ufffeb'],
  ])('rejects %s', (_name, value) => {
    expect(checkXmlSafe(value)).toMatch(/XML/);
    expect(messages(TextHolder, { text: value, items: [] })).toEqual([expect.stringMatching(/^text must not contain/)]);
  });

  it('rejects non-strings', () => {
    expect(messages(TextHolder, { text: 5, items: [] })).toEqual(['text must be a string']);
  });

  it('with each: true names the first offending item', () => {
    expect(messages(TextHolder, { text: 'ok', items: ['fine', 'x\u0002', 'y\u0003'] })).toEqual([
      expect.stringMatching(/^items\.1 must not contain/),
    ]);
  });
});

describe('IsGroupName', () => {
  it('accepts 1..128 characters without commas', () => {
    expect(checkGroupName('Friends & Family')).toBeUndefined();
    expect(checkGroupName('g'.repeat(128))).toBeUndefined();
    expect(checkGroupName('😀'.repeat(128))).toBeUndefined();
  });

  it('rejects commas, empty, too long and non-XML names, naming the item', () => {
    expect(checkGroupName('a,b')).toMatch(/comma/);
    expect(checkGroupName('')).toMatch(/1 to 128/);
    expect(checkGroupName('g'.repeat(129))).toMatch(/1 to 128/);
    expect(checkGroupName('a\u0001')).toMatch(/XML/);
    expect(checkGroupName(7)).toMatch(/string/);
    expect(messages(GroupsHolder, { groups: ['Friends', 'Work,Home'] })).toEqual(['groups.1 must not contain a comma']);
  });
});

describe('IsOptionalNonNull', () => {
  class Holder {
    @IsOptionalNonNull()
    @IsString()
    name?: unknown;
  }

  it('skips an absent property but validates null', () => {
    expect(messages(Holder, {})).toEqual([]);
    expect(messages(Holder, { name: 'x' })).toEqual([]);
    expect(messages(Holder, { name: null })).toEqual(['name must be a string']);
  });
});
