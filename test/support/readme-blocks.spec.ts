import fc from 'fast-check';
import { blockSteps, hasTrailingComment, readmeFences } from './readme-blocks';

describe('README fences', () => {
  it('finds fences with their section; a marker directly above an sh fence says it is not run', () => {
    const md = ['# t', '## One', '```sh', 'echo 1', '```', '## Two', '<!-- not run by test/readme.e2e-spec.ts: starts a server -->', '```sh', 'npm start', '```', '```http', 'HTTP/1.1 200 OK', '```'].join('\n');
    expect(readmeFences(md)).toEqual([
      { line: 3, lang: 'sh', section: 'One', body: ['echo 1'], skip: undefined },
      { line: 8, lang: 'sh', section: 'Two', body: ['npm start'], skip: 'starts a server' },
      { line: 11, lang: 'http', section: 'Two', body: ['HTTP/1.1 200 OK'], skip: undefined },
    ]);
  });

  it.each(['bash', 'shell', 'console', ''])('refuses a ```%s fence: a block cannot leave the test by its language', (lang) => {
    expect(() => readmeFences(['```' + lang, 'curl x', '```'].join('\n'))).toThrow(/line 1: fence language/);
  });

  it('refuses a marker that is not directly above an sh fence, and an unterminated fence', () => {
    expect(() => readmeFences(['<!-- not run by test/readme.e2e-spec.ts: x -->', '', '```sh', 'a', '```'].join('\n'))).toThrow(/marker/);
    expect(() => readmeFences(['<!-- not run by test/readme.e2e-spec.ts: x -->', '```http', 'a', '```'].join('\n'))).toThrow(/marker/);
    expect(() => readmeFences(['```sh', 'a'].join('\n'))).toThrow(/unterminated/);
  });
});

describe('README block steps', () => {
  it('reads commands, their shown output, remarks, sockets and frames', () => {
    const body = [
      '# a remark',
      'curl -s $B/x \\',
      "     -d '{}'",
      '# {"ok":true}',
      '# …',
      'curl -s $B/y',
      '',
      '# a remark after a blank line',
      'npx wscat -c "ws://localhost:3000/v1/events?access_token=$A"',
      '< {"type":"ready"}',
      '> {"op":"ping"}',
      '# a remark below a frame',
    ];
    expect(blockSteps(body, 10)).toEqual([
      { kind: 'shell', line: 11, command: "curl -s $B/x \\\n     -d '{}'", shown: ['{"ok":true}', '…'] },
      { kind: 'shell', line: 15, command: 'curl -s $B/y', shown: [] },
      { kind: 'wscat', line: 18, url: '"ws://localhost:3000/v1/events?access_token=$A"' },
      { kind: 'receive', line: 19, frame: '{"type":"ready"}' },
      { kind: 'send', line: 20, frame: '{"op":"ping"}' },
    ]);
  });

  it.each([
    ['curl -s $B/x   # bob: away', /trailing "# …" comment/],
    ['#no space', /a comment is "# text"/],
    ['npx wscat --connect ws://x', /only `npx wscat -c <url>`/],
    ['wscat -c ws://x', /only `npx wscat -c <url>`/],
    ['<{"type":"pong"}', /a frame line is/],
    ['curl -s $B/x \\', /continued command ends the block/],
  ])('refuses what it does not understand: %s', (line, error) => {
    expect(() => blockSteps([line], 1)).toThrow(error);
  });

  it('refuses an empty shown output line', () => {
    expect(() => blockSteps(['curl -s $B/x', '#'], 1)).toThrow(/empty shown output line/);
  });
});

describe('trailing comments', () => {
  it('a # starting a word outside quotes is a comment; inside quotes or a word it is not', () => {
    expect(hasTrailingComment('curl -s $B/x # note')).toBe(true);
    expect(hasTrailingComment("curl -d '{\"a\":\"# x\"}' $B")).toBe(false);
    expect(hasTrailingComment('echo "a # b" ${#A} a#b')).toBe(false);
    expect(hasTrailingComment('echo \\# not a comment')).toBe(false);
    expect(hasTrailingComment("grep -v '^#'")).toBe(false);
  });

  it('on generated commands, finds a comment exactly when a bare word starts with #', () => {
    // Words of safe characters, quoted or not, joined by spaces: a comment iff some bare word starts with #.
    const word = fc.oneof(
      fc.stringMatching(/^[a-z#$=]{1,6}$/).map((w) => ({ text: w, comment: w.startsWith('#') })),
      fc.stringMatching(/^[a-z# ]{0,6}$/).map((w) => ({ text: `'${w}'`, comment: false })),
      fc.stringMatching(/^[a-z# ]{0,6}$/).map((w) => ({ text: `"${w}"`, comment: false })),
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), (words) => {
        expect(hasTrailingComment(words.map((w) => w.text).join(' '))).toBe(words.some((w) => w.comment));
      }),
    );
  });
});
