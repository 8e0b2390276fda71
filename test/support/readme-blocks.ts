/**
 * Reads the README's fenced blocks, and splits a runnable `sh` block into the steps the README test
 * performs. Anything it does not understand is an error, never skipped.
 *
 * Fences: every ```sh block runs, in document order, except one whose fence is directly preceded by
 * `<!-- not run by test/readme.e2e-spec.ts: <why> -->`. Other shell languages (bash, shell, console …)
 * and fences without a language are refused, so a block cannot leave the test by its language; a
 * fence in another language (mermaid, http …) is not a command and is not run.
 *
 * Lines of a runnable block:
 * - `npx wscat -c <url>` opens a socket ("another terminal"); it stays open until the next one or the
 *   end of the block. `> {…}` sends a frame on it; `< {…}` is the next frame it receives, which must
 *   match (see shown-output.ts). Every frame received must be shown before the socket is closed.
 * - `# …` directly below a shell command (no blank line between) shows that command's output; any
 *   other `#` line is a remark. A command's trailing `# comment` is refused: it would read as output.
 * - Anything else is a shell command (continued by a trailing `\`), run by bash.
 */

export const SKIP_MARKER = /^<!-- not run by test\/readme\.e2e-spec\.ts: (\S.*) -->$/;
const REFUSED_LANGUAGES = new Set(['', 'bash', 'shell', 'console', 'zsh', 'shell-session', 'sh-session', 'shellsession']);

export interface Fence {
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  /** The `## ` heading the fence is under. */
  section: string;
  body: string[];
  /** Why the block is not run, from its marker. */
  skip?: string;
}

export function readmeFences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('## ')) section = line.slice(3).trim();
    const marker = SKIP_MARKER.exec(line);
    if (marker && !/^```sh\s*$/.test(lines[i + 1] ?? '')) {
      throw new Error(`README line ${i + 1}: a "not run" marker must stand directly above a \`\`\`sh fence`);
    }
    const open = /^\s*```(.*)$/.exec(line);
    if (!open) continue;
    const lang = open[1].trim();
    if (REFUSED_LANGUAGES.has(lang)) {
      throw new Error(`README line ${i + 1}: fence language "${lang}": write shell examples as \`\`\`sh (they run in the README test) or mark them not run`);
    }
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^\s*```\s*$/.test(lines[j])) body.push(lines[j++]);
    if (j >= lines.length) throw new Error(`README line ${i + 1}: unterminated fence`);
    const skip = i > 0 ? SKIP_MARKER.exec(lines[i - 1])?.[1] : undefined;
    fences.push({ line: i + 1, lang, section, body, skip });
    i = j;
  }
  return fences;
}

export type Step =
  | { kind: 'shell'; line: number; command: string; shown: string[] }
  | { kind: 'wscat'; line: number; url: string }
  | { kind: 'send'; line: number; frame: string }
  | { kind: 'receive'; line: number; frame: string };

/** The steps of a runnable block; `firstLine` is the README line of its first body line. */
export function blockSteps(body: string[], firstLine: number): Step[] {
  const steps: Step[] = [];
  /** The shell step whose shown output may follow (directly below it, no blank line between). */
  let showing: Extract<Step, { kind: 'shell' }> | undefined;
  for (let i = 0; i < body.length; i++) {
    const line = body[i];
    const at = firstLine + i;
    const fail = (why: string): never => {
      throw new Error(`README line ${at}: ${why}\n  ${line}`);
    };
    if (line.trim() === '') {
      showing = undefined;
    } else if (line.startsWith('#')) {
      if (!/^#( |$)/.test(line)) fail('a comment is "# text"');
      if (showing) {
        const shown = line.slice(2).trimEnd();
        if (shown === '') fail('an empty shown output line (leave a blank line to end the output)');
        showing.shown.push(shown);
      }
    } else if (/^[<>]/.test(line)) {
      const frame = /^([<>]) (\S.*)$/.exec(line) ?? fail('a frame line is "< {…}" (received) or "> {…}" (sent)');
      showing = undefined;
      steps.push({ kind: frame[1] === '<' ? 'receive' : 'send', line: at, frame: frame[2] });
    } else if (/^\s*(npx\s|wscat\b)/.test(line)) {
      const wscat = /^npx wscat -c ("[^"]*"|'[^']*'|[^\s"']+)$/.exec(line) ?? fail('the runner knows only `npx wscat -c <url>`');
      showing = undefined;
      steps.push({ kind: 'wscat', line: at, url: wscat[1] });
    } else {
      const parts = [line];
      while (parts[parts.length - 1].endsWith('\\')) {
        if (++i >= body.length) fail('a continued command ends the block');
        parts.push(body[i]);
      }
      const command = parts.join('\n');
      if (hasTrailingComment(command)) fail('a trailing "# …" comment on a command: put a remark on its own line above it');
      showing = { kind: 'shell', line: at, command, shown: [] };
      steps.push(showing);
    }
  }
  return steps;
}

/** Does a shell command carry a `#` comment (a `#` starting a word, outside quotes)? */
export function hasTrailingComment(command: string): boolean {
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < command.length; i++) {
    const char = command[i];
    if (quote === "'") {
      if (char === "'") quote = undefined;
    } else if (char === '\\') {
      i++;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '#' && (i === 0 || /\s/.test(command[i - 1]))) {
      return true;
    }
  }
  return false;
}
