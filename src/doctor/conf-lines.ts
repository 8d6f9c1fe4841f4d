// keepalived.conf as keepalived's lib/parser.c read_line() delivers it: one logical line at a time,
// each with the file and line it came from, across `include` files.
//
// What a physical line goes through, in keepalived's order: comments ('#' or '!' anywhere outside
// double quotes; '\#' and '\!' are literal) and surrounding blanks removed; an `@id` / `@^id` prefix
// keeps or drops the line by the node's config id; `$NAME=value` defines (a trailing '\' continues
// the value on the next lines), `$NAME` / `${NAME}` substitutes; `include PATTERN` (and the newer
// includer/includem/includew/includeb/includea) reads the files the pattern globs, relative to the
// including file's directory; finally every '{' and '}' outside quotes becomes a line of its own.
// Words split on blanks, "double quotes" keep blanks inside a word.
//
// Bounded: MAX_FILES files, MAX_DEPTH nested includes, MAX_LINES logical lines, MAX_FILE_BYTES a file;
// what was left out is said in a problem, never thrown.
import { globPattern, resolveInclude, type ConfigFiles } from './conf-files.js';

export interface Loc { file: string; line: number }
export interface ConfLine { words: string[]; loc: Loc }

export interface ReadProblem {
  /** 'syntax': keepalived reads the text differently than it looks; 'include': a file left out;
   *  'value': a value keepalived rejects or replaces; 'limit': a bound of ours was reached. */
  kind: 'syntax' | 'include' | 'limit' | 'unsupported' | 'value';
  message: string;
  loc: Loc | null;
}

export interface ReadResult {
  lines: ConfLine[];
  /** Every file read, in order (display paths). */
  files: string[];
  problems: ReadProblem[];
  /** Why the main file could not be read at all (then nothing else is filled). */
  mainError: string | null;
}

export interface ReadOptions {
  /** keepalived's config id (`-i`, default the node name up to the first '.') for `@id` lines; null = none. */
  configId?: string | null;
}

export const MAX_FILES = 256;
export const MAX_DEPTH = 16;
export const MAX_LINES = 200_000;
export const MAX_FILE_BYTES = 4 << 20;
export const MAX_LINE_CHARS = 64 * 1024;
const INCLUDE_WORDS = new Set(['include', 'includer', 'includem', 'includew', 'includeb', 'includea']);

interface Definition { value: string; multiline: boolean }

/** decomment(): comment removed, '\#' / '\!' unescaped outside quotes, blanks trimmed; `cont` when the line ends in '\'. */
export function decomment(raw: string): { text: string; cont: boolean; unterminated: boolean } {
  let s = raw.replace(/^[ \t]+/, '');
  let quote = false;
  let cont = false;
  let cut = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') { quote = !quote; continue; }
    if (c === '\\') {
      if (i + 1 >= s.length) { s = s.slice(0, i); cont = true; break; }
      if (!quote && (s[i + 1] === '#' || s[i + 1] === '!')) { s = s.slice(0, i) + s.slice(i + 1); continue; }
      i++;
      continue;
    }
    if (!quote && (c === '!' || c === '#')) { cut = i; break; }
  }
  const unterminated = quote && cut < 0;
  if (cut >= 0) s = s.slice(0, cut);
  s = s.replace(/[ \t]+$/, '');
  return { text: cont ? s + '\\' : s, cont, unterminated };
}

/** alloc_strvec(): blank-separated words; a word that starts with '"' runs to the next '"'. */
export function splitWords(text: string): { words: string[]; unmatchedQuote: boolean } {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t\f\n\r\v]/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return { words, unmatchedQuote: true };
      words.push(text.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    const start = i;
    while (i < text.length && !/[ \t\f\n\r\v"]/.test(text[i]!)) i++;
    words.push(text.slice(start, i));
  }
  return { words, unmatchedQuote: false };
}

/** read_line()'s residue handling: every '{' and '}' outside double quotes on a line of its own. */
export function splitBraces(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    if (rest[0] === '{' || rest[0] === '}') {
      out.push(rest[0]);
      rest = rest.slice(1).replace(/^[ \t]+/, '');
      continue;
    }
    let idx = -1;
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i];
      if (c === '"') {
        const end = rest.indexOf('"', i + 1);
        if (end < 0) break;
        i = end;
        continue;
      }
      if (c === '{' || c === '}') { idx = i; break; }
    }
    if (idx < 0) { out.push(rest.replace(/[ \t]+$/, '')); break; }
    const head = rest.slice(0, idx).replace(/[ \t]+$/, '');
    if (head !== '') out.push(head);
    rest = rest.slice(idx);
  }
  return out;
}

class Reader {
  readonly result: ReadResult = { lines: [], files: [], problems: [], mainError: null };
  private readonly defs = new Map<string, Definition>();
  private readonly open: string[] = [];
  private full = false;

  constructor(private readonly files: ConfigFiles, private readonly configId: string | null) {}

  show(path: string): string {
    return this.files.display ? this.files.display(path) : path;
  }

  problem(kind: ReadProblem['kind'], message: string, loc: Loc | null): void {
    if (this.result.problems.length < 200) this.result.problems.push({ kind, message, loc });
  }

  readFile(path: string, from: Loc | null): void {
    if (this.open.includes(path)) {
      this.problem('include', `include loop: ${this.show(path)} includes itself (through ${this.open.map((p) => this.show(p)).join(' → ')}); keepalived would recurse until it fails`, from);
      return;
    }
    if (this.open.length >= MAX_DEPTH) { this.problem('limit', `includes nested deeper than ${MAX_DEPTH}: ${this.show(path)} not read`, from); return; }
    if (this.result.files.length >= MAX_FILES) { this.problem('limit', `more than ${MAX_FILES} files: ${this.show(path)} not read`, from); return; }
    const r = this.files.read(path);
    if ('error' in r) {
      if (from === null) this.result.mainError = `cannot read ${this.show(path)}: ${r.error}`;
      else this.problem('include', `cannot read included file ${this.show(path)}: ${r.error} (keepalived skips it)`, from);
      return;
    }
    if (r.text.length > MAX_FILE_BYTES) { this.problem('limit', `${this.show(path)} is larger than ${MAX_FILE_BYTES >> 20} MiB: not read`, from); return; }
    this.result.files.push(this.show(path));
    this.open.push(path);
    const physical = r.text.split('\n');
    let pendingDef: Definition | null = null;
    for (let i = 0; i < physical.length && !this.full; i++) {
      const loc: Loc = { file: this.show(path), line: i + 1 };
      const raw = physical[i]!.replace(/\r+$/, '');
      if (pendingDef !== null) {
        // a multi-line definition continues while its lines end in '\'
        const d = decomment(raw);
        const more = d.cont;
        const part = more ? d.text.slice(0, -1).replace(/[ \t]+$/, '') : d.text;
        if (part !== '') pendingDef.value += (pendingDef.value === '' ? '' : '\n') + part;
        if (!more) pendingDef = null;
        continue;
      }
      const d = decomment(raw);
      if (d.unterminated) this.problem('syntax', `unterminated quote (keepalived: "Unterminated quote")`, loc);
      if (d.text === '') continue;
      pendingDef = this.logical(d.text, loc, path, 0);
    }
    this.open.pop();
  }

  /** One decommented line; returns a multi-line definition still collecting lines, if it started one. */
  private logical(text: string, loc: Loc, path: string, depth: number): Definition | null {
    let t = text;
    for (let pass = 0; pass < 16; pass++) {
      if (t.startsWith('@')) {
        const m = /^@(\^?)(\S*)[ \t]+(.*)$/.exec(t);
        if (!m) return null;
        const matches = this.configId !== null && m[2] === this.configId;
        if (matches === (m[1] === '^')) return null;
        t = m[3]!;
      }
      if (t.startsWith('$')) {
        const def = /^\$([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(.*)$/.exec(t);
        if (def) {
          const value = def[2]!;
          if (value.endsWith('\\')) {
            const d: Definition = { value: value.slice(0, -1).replace(/[ \t]+$/, ''), multiline: true };
            this.defs.set(def[1]!, d);
            return d;
          }
          this.defs.set(def[1]!, { value, multiline: false });
          return null;
        }
      }
      if (t.startsWith('~SEQ')) {
        this.problem('unsupported', '~SEQ is not expanded by vrrpwatch: the lines it generates are not checked', loc);
        return null;
      }
      if (t.startsWith('~')) return null;
      if (this.defs.size === 0 || !t.includes('$')) break;
      const next = this.substitute(t, path);
      if (next === t) break;
      if (next.length > MAX_LINE_CHARS) {
        this.problem('limit', `definitions expand this line past ${MAX_LINE_CHARS} characters (a definition that names itself?): not read`, loc);
        return null;
      }
      t = next;
      if (!t.startsWith('@') && !t.includes('$')) break;
    }
    // a multi-line definition's value brings several lines
    const parts = t.split('\n');
    if (parts.length > 1 && depth < 4) {
      for (const p of parts) if (p.trim() !== '') this.logical(p.trim(), loc, path, depth + 1);
      return null;
    }
    const all = splitWords(t);
    if (all.words.length === 2 && INCLUDE_WORDS.has(all.words[0]!)) {
      this.include(all.words[1]!, path, loc);
      return null;
    }
    for (const piece of splitBraces(t)) {
      const w = splitWords(piece);
      if (w.unmatchedQuote) this.problem('syntax', `unmatched quote: keepalived drops the rest of the line (keepalived: "Unmatched quote")`, loc);
      if (w.words.length === 0) continue;
      if (this.result.lines.length >= MAX_LINES) {
        this.full = true;
        this.problem('limit', `more than ${MAX_LINES} configuration lines: the rest is not read`, loc);
        return null;
      }
      this.result.lines.push({ words: w.words, loc });
    }
    return null;
  }

  /** `$NAME` (followed by a blank, ',', ')' or the end) and `${NAME}` replaced by their definitions. */
  private substitute(t: string, path: string): string {
    let out = '';
    let i = 0;
    while (i < t.length) {
      const j = t.indexOf('$', i);
      if (j < 0) { out += t.slice(i); break; }
      out += t.slice(i, j);
      let k = j + 1;
      const braced = t[k] === '{';
      if (braced) k++;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(k));
      let end = m ? k + m[0].length : -1;
      if (m && braced) {
        while (end < t.length && /[0-9 ]/.test(t[end]!)) end++;
        end = t[end] === '}' ? end + 1 : -1;
      } else if (m && end < t.length && !/[ \t,)]/.test(t[end]!)) {
        end = -1;
      }
      if (!m || end < 0) { out += '$'; i = j + 1; continue; }
      const name = m[0];
      const value = name === '_PWD' ? path.slice(0, Math.max(1, path.lastIndexOf('/'))) : this.defs.get(name)?.value;
      out += value === undefined ? t.slice(j, end) : value;
      i = end;
    }
    return out;
  }

  private include(pattern: string, from: string, loc: Loc): void {
    const abs = resolveInclude(pattern, from);
    const { matches, truncated } = globPattern(abs, this.files);
    if (truncated) this.problem('limit', `include ${pattern}: too many matches, only the first ${matches.length} read`, loc);
    let read = 0;
    for (const m of matches) {
      if (m.endsWith('/')) continue;
      const kind = this.files.kind(m);
      if (kind !== 'file') {
        this.problem('include', `included ${this.show(m)} is not a regular non-executable file: keepalived skips it`, loc);
        continue;
      }
      read++;
      this.readFile(m, loc);
    }
    if (read === 0 && matches.filter((m) => !m.endsWith('/')).length === 0) {
      this.problem('include', `include ${pattern} matches no file (looked for ${this.show(abs)}): keepalived reads nothing from it`, loc);
    }
  }
}

/** Read a keepalived configuration and every file it includes. Never throws. */
export function readConfigLines(path: string, files: ConfigFiles, opts: ReadOptions = {}): ReadResult {
  const r = new Reader(files, opts.configId ?? null);
  r.readFile(path, null);
  return r.result;
}
