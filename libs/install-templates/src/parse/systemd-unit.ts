/**
 * A reader for systemd unit files and their value grammars, following systemd.syntax(7),
 * systemd.service(5) "Command lines", systemd.exec(5) `Environment=`/`EnvironmentFile=` and the
 * specifier rules of systemd.unit(5). Used by `--check` and by the round-trip tests.
 */
export interface UnitEntry {
  section: string;
  key: string;
  value: string;
}

/** Sections and `Key=Value` lines in file order; `\` at the end of a line continues it. */
export function parseUnitFile(text: string): UnitEntry[] {
  const entries: UnitEntry[] = [];
  let section = '';
  let pending = '';
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    const trimmed = line.trim();
    if (!pending && (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';'))) continue;
    if (pending && (trimmed.startsWith('#') || trimmed.startsWith(';'))) continue; // comments inside a continuation
    if (!pending && trimmed.startsWith('[')) {
      if (!trimmed.endsWith(']')) throw new Error(`bad section header: ${trimmed}`);
      section = trimmed.slice(1, -1);
      continue;
    }
    const joined = pending + line;
    if (/\\$/.test(joined) && !/\\\\$/.test(joined.replace(/(\\\\)+$/, ''))) {
      // an odd number of trailing backslashes continues the line (the backslash becomes a space)
      const count = /\\+$/.exec(joined)![0].length;
      if (count % 2 === 1) {
        pending = `${joined.slice(0, -1)} `;
        continue;
      }
    }
    pending = '';
    const eq = joined.indexOf('=');
    if (eq < 0) throw new Error(`line is not Key=Value: ${joined.trim()}`);
    entries.push({ section, key: joined.slice(0, eq).trim(), value: joined.slice(eq + 1).trim() });
  }
  if (pending) {
    const eq = pending.indexOf('=');
    entries.push({ section, key: pending.slice(0, eq).trim(), value: pending.slice(eq + 1).trim() });
  }
  return entries;
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', s: ' ', '\\': '\\', '"': '"', "'": "'" };

function cunescapeOne(s: string, i: number): [string, number] {
  const c = s[i + 1];
  if (c === undefined) throw new Error('trailing backslash');
  if (c in SIMPLE_ESCAPES) return [SIMPLE_ESCAPES[c]!, i + 2];
  if (c === 'x') return [String.fromCodePoint(parseInt(hex(s, i + 2, 2), 16)), i + 4];
  if (c === 'u') return [String.fromCodePoint(parseInt(hex(s, i + 2, 4), 16)), i + 6];
  if (c === 'U') return [String.fromCodePoint(parseInt(hex(s, i + 2, 8), 16)), i + 10];
  if (/[0-7]/.test(c)) {
    const oct = s.slice(i + 1, i + 4);
    if (!/^[0-7]{3}$/.test(oct)) throw new Error(`bad octal escape \\${oct}`);
    return [String.fromCodePoint(parseInt(oct, 8)), i + 4];
  }
  throw new Error(`unknown escape sequence \\${c}`);
}
function hex(s: string, at: number, n: number): string {
  const h = s.slice(at, at + n);
  if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new Error(`bad hex escape ${h}`);
  return h;
}

/** systemd's `extract_first_word(…, EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE)` applied to the whole value. */
export function splitWords(value: string): string[] {
  const words: string[] = [];
  let i = 0;
  const ws = /[ \t\n\r]/;
  while (i < value.length) {
    while (i < value.length && ws.test(value[i]!)) i++;
    if (i >= value.length) break;
    let word = '';
    let quote: string | undefined;
    for (; i < value.length; ) {
      const c = value[i]!;
      if (quote) {
        if (c === quote) { quote = undefined; i++; continue; }
        if (c === '\\') { const [ch, next] = cunescapeOne(value, i); word += ch; i = next; continue; }
        word += c; i++;
        continue;
      }
      if (ws.test(c)) break;
      if (c === '"' || c === "'") { quote = c; i++; continue; }
      if (c === '\\') { const [ch, next] = cunescapeOne(value, i); word += ch; i = next; continue; }
      word += c; i++;
    }
    if (quote) throw new Error('unterminated quote');
    words.push(word);
  }
  return words;
}

/** Undoes `%%` and refuses any other specifier (its value depends on the host). */
export function unescapeSpecifiers(value: string): string {
  return value.replace(/%(.)?/g, (_m, c: string | undefined) => {
    if (c === '%') return '%';
    throw new Error(`specifier %${c ?? ''} expands to a host-dependent value`);
  });
}

/** The argv of an exec line: words, then `$$` → `$` (a lone `$VAR` is refused), then specifiers. */
export function parseExecLine(value: string): string[] {
  let v = value;
  while (/^[-@:+!]/.test(v)) v = v.slice(1);
  return splitWords(unescapeSpecifiers(v)).map((w) =>
    w.replace(/\$(\$|\{?[A-Za-z_]\w*\}?)?/g, (m, rest: string | undefined) => {
      if (rest === '$') return '$';
      throw new Error(`variable ${m} is expanded by systemd`);
    }),
  );
}

/** The assignments of one `Environment=` value. */
export function parseEnvironmentValue(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const word of splitWords(unescapeSpecifiers(value))) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`invalid environment assignment ${word}`);
    out[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return out;
}

/** A path-type setting: literal apart from specifiers. */
export function parsePathValue(value: string): string {
  return unescapeSpecifiers(value);
}

/**
 * An `EnvironmentFile=` (systemd's env-file grammar): `KEY=value` lines, `#`/`;` comments,
 * single quotes literal, double quotes with `\` escaping `"` `\` `` ` `` `$`.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#') || t.startsWith(';')) continue;
    const eq = t.indexOf('=');
    if (eq <= 0) throw new Error(`bad env file line: ${t}`);
    const key = t.slice(0, eq).trim();
    const raw = t.slice(eq + 1).trim();
    let value = '';
    for (let i = 0; i < raw.length; i++) {
      const c = raw[i]!;
      if (c === "'") {
        const end = raw.indexOf("'", i + 1);
        if (end < 0) throw new Error('unterminated single quote');
        value += raw.slice(i + 1, end);
        i = end;
      } else if (c === '"') {
        let j = i + 1;
        for (; j < raw.length && raw[j] !== '"'; j++) {
          if (raw[j] === '\\' && j + 1 < raw.length) {
            const n = raw[j + 1]!;
            value += '"\\`$'.includes(n) ? n : `\\${n}`;
            j++;
          } else value += raw[j];
        }
        if (j >= raw.length) throw new Error('unterminated double quote');
        i = j;
      } else if (c === '\\' && i + 1 < raw.length) {
        value += raw[++i];
      } else value += c;
    }
    out[key] = value;
  }
  return out;
}
