// How keepalived finds the files of an `include` line: glob(3) with GLOB_BRACE and GLOB_MARK, as
// lib/parser.c's read_conf_file() calls it. Pure over an injected file view (ConfigFiles), so tests
// and sosreport trees (--root) use the same code as the node itself.
//
// glob(3) facts kept here: csh braces expand first (nested, "{a,{b,c}}"), each alternative is
// globbed on its own and its matches sorted (byte order, as in the C locale), alternatives keep
// their order; '*', '?', '[...]' never match a leading '.' unless the pattern does; a pattern
// without wildcards matches only when the file exists; directories are marked and skipped by the
// caller. Bounded: at most MAX_EXPANSIONS brace alternatives and MAX_MATCHES matches per pattern.

/** The file system as keepalived would see it (paths are keepalived's, absolute). Never throws. */
export interface ConfigFiles {
  /** The file's text, or why it cannot be read. */
  read(path: string): { text: string } | { error: string };
  /** Names in a directory, or null when it is not a readable directory. */
  list(dir: string): string[] | null;
  /** What a path is: keepalived reads only regular files without an execute bit. */
  kind(path: string): 'file' | 'executable' | 'dir' | 'other' | null;
  /** How a path is shown to the user (e.g. with the --root prefix); identity by default. */
  display?(path: string): string;
}

export const MAX_EXPANSIONS = 256;
export const MAX_MATCHES = 1024;
/** More brace groups or '*' per segment than this and a pattern is taken literally (recursion and
 *  backtracking stay small whatever a configuration line holds). */
export const MAX_BRACES = 32;
export const MAX_STARS = 8;

/** csh-style brace expansion: "a{b,c{d,e}}f" → abf, acdf, acef. Unbalanced braces stay literal. */
export function expandBraces(pattern: string, limit = MAX_EXPANSIONS): string[] {
  const open = findOpenBrace(pattern);
  if (open < 0) return [pattern];
  let depth = 0;
  const commas: number[] = [];
  let close = -1;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '{') depth++;
    else if (c === '}') { depth--; if (depth === 0) { close = i; break; } }
    else if (c === ',' && depth === 1) commas.push(i);
  }
  if (close < 0) return [pattern];
  const head = pattern.slice(0, open);
  const tail = pattern.slice(close + 1);
  const bounds = [open, ...commas, close];
  const out: string[] = [];
  for (let k = 0; k + 1 < bounds.length && out.length < limit; k++) {
    const alt = pattern.slice(bounds[k]! + 1, bounds[k + 1]);
    for (const e of expandBraces(head + alt + tail, limit - out.length)) {
      out.push(e);
      if (out.length >= limit) break;
    }
  }
  return out;
}

function findOpenBrace(p: string): number {
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') { i++; continue; }
    if (p[i] === '{') return i;
  }
  return -1;
}

const MAGIC = /[*?[]/;

/** fnmatch(3) of one path segment (no FNM_PERIOD handling here: the caller skips dot files). */
export function segmentMatches(pattern: string, name: string): boolean {
  if ((pattern.match(/\*/g)?.length ?? 0) > MAX_STARS) return pattern === name;
  return new RegExp('^' + segmentRegex(pattern) + '$', 's').test(name);
}

function segmentRegex(p: string): string {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) { re += escapeRe(p[++i]!); continue; }
    if (c === '*') { re += '[^/]*'; continue; }
    if (c === '?') { re += '[^/]'; continue; }
    if (c === '[') {
      const end = p.indexOf(']', i + (p[i + 1] === '!' || p[i + 1] === '^' ? 3 : 2));
      if (end < 0) { re += '\\['; continue; }
      let body = p.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      re += '[' + (negate ? '^' : '') + body.replace(/[\\\]]/g, (m) => '\\' + m) + ']';
      i = end;
      continue;
    }
    re += escapeRe(c);
  }
  return re;
}

function escapeRe(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? '\\' + c : c;
}

/** Byte-order comparison, as strcmp/strcoll in the C locale sort glob's matches. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** Absolute matches of one absolute pattern (no braces), sorted; directories end with '/'. */
function globOne(pattern: string, files: ConfigFiles, limit: number): string[] {
  const segments = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let current = ['/'];
  for (let s = 1; s < segments.length; s++) {
    const seg = segments[s]!;
    const next: string[] = [];
    for (const dir of current) {
      const base = dir.endsWith('/') ? dir : dir + '/';
      if (!MAGIC.test(seg)) {
        next.push(base + seg.replace(/\\(.)/g, '$1'));
        continue;
      }
      const names = files.list(dir);
      if (names === null) continue;
      const hits = names.filter((n) => (n[0] !== '.' || seg[0] === '.') && segmentMatches(seg, n)).sort(byteOrder);
      for (const n of hits) next.push(base + n);
    }
    current = next.slice(0, limit);
  }
  const out: string[] = [];
  for (const p of current) {
    const k = files.kind(p);
    if (k === null) continue;
    out.push(k === 'dir' && !p.endsWith('/') ? p + '/' : p);
  }
  return out.sort(byteOrder);
}

/** Every file an include pattern names, in keepalived's order: brace alternatives in turn, each sorted. */
export function globPattern(pattern: string, files: ConfigFiles): { matches: string[]; truncated: boolean } {
  const out: string[] = [];
  let truncated = false;
  const alternatives = (pattern.match(/\{/g)?.length ?? 0) > MAX_BRACES ? [pattern] : expandBraces(pattern);
  if (alternatives.length >= MAX_EXPANSIONS) truncated = true;
  for (const alt of alternatives) {
    for (const m of globOne(alt, files, MAX_MATCHES)) {
      if (out.length >= MAX_MATCHES) { truncated = true; break; }
      out.push(m);
    }
  }
  return { matches: out, truncated };
}

/** The directory part of an absolute path ('/' for a file at the root). */
export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** An include path as keepalived resolves it: relative to the directory of the including file. */
export function resolveInclude(pattern: string, includingFile: string): string {
  if (pattern.startsWith('/')) return normalize(pattern);
  return normalize(dirOf(includingFile) + '/' + pattern);
}

/** '/a/./b/../c' → '/a/c' (lexically; keepalived's chdir follows symlinks, which a view cannot tell). */
export function normalize(path: string): string {
  const parts: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') parts.pop();
    else parts.push(s);
  }
  return '/' + parts.join('/');
}
