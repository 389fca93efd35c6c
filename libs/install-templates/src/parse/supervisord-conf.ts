import { decode } from 'ini';
import { PY_SPACE } from '../escape/python-space.js';

const INLINE_COMMENT = new RegExp(`[${PY_SPACE}][;#]`);

/**
 * Reads a supervisord config into `{section: {key: value}}` with the `ini` package. supervisor's
 * configparser differs from ini's value rules (it cuts inline comments only after whitespace, keeps
 * backslashes, lower-cases keys and joins indented continuation lines), so each value is first cut
 * the configparser way and handed to ini as a JSON string literal, which ini decodes verbatim.
 * `%` expansion is not applied: see `expandPercent`.
 */
export function parseSupervisordConf(text: string): Record<string, Record<string, string>> {
  const lines: string[] = [];
  let last: { key: string; value: string } | undefined;
  const flush = () => {
    if (last) lines.push(`${last.key}=${JSON.stringify(last.value)}`);
    last = undefined;
  };
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const stripped = raw.trim();
    if (stripped === '' || stripped.startsWith(';') || stripped.startsWith('#')) {
      continue;
    }
    const cut = INLINE_COMMENT.exec(raw);
    const line = cut ? raw.slice(0, cut.index) : raw;
    if (/^[ \t]/.test(raw) && last) {
      last.value += `\n${line.trim()}`;
      continue;
    }
    flush();
    if (stripped.startsWith('[')) {
      const end = stripped.indexOf(']');
      lines.push(`[${stripped.slice(1, end).replace(/[.\\]/g, (c) => `\\${c}`)}]`);
      continue;
    }
    const m = /[=:]/.exec(line);
    if (!m) throw new Error(`not a key=value line: ${stripped}`);
    last = { key: line.slice(0, m.index).trim().toLowerCase(), value: line.slice(m.index + 1).trim() };
    if (/[[\]=;#"'\\]/.test(last.key)) throw new Error(`unexpected key ${last.key}`);
  }
  flush();
  return decode(lines.join('\n')) as Record<string, Record<string, string>>;
}

/** supervisor's `%` expansion with the given names (`here`, `program_name`, `ENV_X`…). */
export function expandPercent(value: string, names: Record<string, string> = {}): string {
  return value.replace(/%(?:\(([^)]*)\)s|(%)|)/g, (m, name: string | undefined, pct: string | undefined) => {
    if (pct) return '%';
    if (name !== undefined && name in names) return names[name]!;
    throw new Error(m === '%' ? 'lone % in a supervisord value' : `unknown expansion ${m}`);
  });
}

/** POSIX `shlex.split` (supervisor's `command=`): quotes, and `\` escapes (only `\` and `"` inside double quotes). */
export function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      word = (word ?? '') + s.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      word ??= '';
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && (s[j + 1] === '\\' || s[j + 1] === '"')) word += s[++j];
        else word += s[j];
      }
      if (j >= s.length) throw new Error('No closing quotation');
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      word = (word ?? '') + s[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * supervisor's `environment=` in the subset this project writes (`KEY="value"` pairs, no `"` in
 * values): the same result under the non-POSIX lexer of 4.2 and the POSIX lexer of later releases.
 */
export function parseSupervisordEnvironment(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:"([^"]*)"|([^,"'\s]*))\s*(,|$)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < value.length && (m = re.exec(value))) {
    out[m[1]!] = (m[2] ?? m[3] ?? '').replace(/^['"]+|['"]+$/g, '');
    if (m[4] === '') break;
  }
  if (re.lastIndex !== 0 && re.lastIndex < value.length) throw new Error(`cannot read environment= at: ${value.slice(re.lastIndex)}`);
  return out;
}
