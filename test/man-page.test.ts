// The man page (man/vrrpwatch.1) against --help: every option of every command in --help is documented in
// the page's OPTIONS, and the page documents no option --help lacks. So a new option fails this test until
// it is documented. Also: the page renders without warnings at 80 columns, and names every variable a
// --notify hook gets (docs/notify.md's table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const PAGE = 'man/vrrpwatch.1';
/** Commands the page documents ahead of their merge from another branch (issue 13: `doctor`). Once --help has
 *  one, the test fails until it is removed from here, and from then on its options are compared. */
const AHEAD_OF_HELP = new Set<string>([]);

const help = (args: string[]) => {
  const r = spawnSync('bin/vrrpwatch', [...args, '--help'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
};

/** The lines of one "Title:" section of commander's help (up to the next blank line). */
function helpSection(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.trim() === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** Every flag of a command's --help ('-r', '--read', ...). */
function helpFlags(text: string): Set<string> {
  const flags = new Set<string>();
  for (const line of helpSection(text, 'Options')) {
    const m = /^ {2}(-\S.*?)(?: {2,}|$)/.exec(line);
    if (!m) continue;   // a wrapped description
    for (const part of m[1]!.split(', ')) flags.add(part.replace(/ [<[].*[>\]]$/, '').trim());   // '<arg>' or an optional '[arg]'
  }
  return flags;
}

/** The commands of --help: '' for the main command, then the names under "Commands:". */
function helpCommands(): Map<string, Set<string>> {
  const main = help([]);
  const commands = new Map([['', helpFlags(main)]]);
  for (const line of helpSection(main, 'Commands')) {
    const m = /^ {2}([a-z][\w-]*)\b/.exec(line);
    if (m && m[1] !== 'help') commands.set(m[1]!, helpFlags(help([m[1]!])));
  }
  return commands;
}

/** The page's OPTIONS: per command ('' = main), the flags of its `.It Fl ...` entries. A subsection titled
 *  "Options of vrrpwatch and vrrpwatch check" belongs to both. */
function pageCommands(): Map<string, Set<string>> {
  const roff = readFileSync(PAGE, 'utf8').split('\n');
  const start = roff.indexOf('.Sh OPTIONS');
  assert.ok(start >= 0, 'the page has an OPTIONS section');
  const out = new Map<string, Set<string>>();
  let current: string[] = [];
  for (const line of roff.slice(start + 1)) {
    if (line.startsWith('.Sh ')) break;
    const sub = /^\.Ss Options of (.+)$/.exec(line);
    if (sub) {
      current = sub[1]!.split(' and ').map((name) => {
        const m = /^vrrpwatch(?: ([a-z][\w-]*))?$/.exec(name.trim());
        assert.ok(m, `'.Ss Options of ${sub[1]}': name commands as 'vrrpwatch' or 'vrrpwatch NAME'`);
        return m[1] ?? '';
      });
      for (const c of current) if (!out.has(c)) out.set(c, new Set());
      continue;
    }
    if (line.startsWith('.Ss ')) assert.fail(`OPTIONS subsection '${line}' does not say whose options these are ('.Ss Options of ...')`);
    if (!line.startsWith('.It ')) continue;
    assert.ok(current.length > 0, `${line}: an option outside an 'Options of' subsection`);
    for (const m of line.matchAll(/\bFl (\S+)/g)) for (const c of current) out.get(c)!.add(`-${m[1]!.replace(/\\-/g, '-')}`);
  }
  return out;
}

const label = (c: string) => (c === '' ? 'vrrpwatch' : `vrrpwatch ${c}`);

test('every option of every command in --help is in the man page, and the page has no other', () => {
  const inHelp = helpCommands();
  const inPage = pageCommands();
  assert.ok(inHelp.has('check'), '--help lists the check command');
  for (const [command, flags] of inHelp) {
    assert.ok(!AHEAD_OF_HELP.has(command), `${label(command)} is in --help now: remove it from AHEAD_OF_HELP`);
    const page = inPage.get(command);
    assert.ok(page, `the man page has no '.Ss Options of ${label(command)}'`);
    const undocumented = [...flags].filter((f) => !page.has(f));
    const unknown = [...page].filter((f) => !flags.has(f));
    assert.deepEqual(undocumented, [], `${label(command)}: options in --help but not in the man page`);
    assert.deepEqual(unknown, [], `${label(command)}: options in the man page but not in --help`);
  }
  for (const command of inPage.keys()) {
    assert.ok(inHelp.has(command) || AHEAD_OF_HELP.has(command), `the man page documents ${label(command)}, which --help does not have`);
  }
});

test('the comparison sees a missing option (a page without --json for the main command fails it)', () => {
  const flags = pageCommands().get('')!;
  assert.ok(flags.has('--json') && flags.has('-r') && flags.has('--read') && flags.has('--no-promiscuous-mode'));
  assert.ok(helpFlags(help([])).has('--metrics') && helpFlags(help(['check'])).has('-q'));
  assert.ok(!pageCommands().get('check')!.has('--json'), 'check has no --json: it must not inherit the main command\'s');
});

test('the man page names every variable a --notify hook gets (docs/notify.md)', () => {
  const page = readFileSync(PAGE, 'utf8');
  const notify = readFileSync('docs/notify.md', 'utf8');
  const table = notify.slice(notify.indexOf('## Environment'));
  const names = new Set([...table.matchAll(/`(VRRPWATCH_[A-Z_]+)`/g)].map((m) => m[1]!));
  assert.ok(names.size >= 20, `found ${names.size} variables in docs/notify.md`);
  for (const n of names) assert.ok(page.includes(`Ev ${n}`) || page.includes(`, ${n}`), `${n} is not in the man page's ENVIRONMENT`);
  for (const n of ['NO_COLOR', 'TERM', 'TZ']) assert.match(page, new RegExp(`^\\.It Ev ${n}$`, 'm'));
});

const hasMan = spawnSync('/bin/sh', ['-c', 'command -v man'], { stdio: 'ignore' }).status === 0;

test('the page renders with man -l at 80 columns: no warnings, no line wider than 80', { skip: hasMan ? false : 'man (man-db) not installed' }, () => {
  const r = spawnSync('man', ['--warnings', '-l', PAGE], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '', LANG: 'C.UTF-8' } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'groff warnings');
  const lines = r.stdout.split('\n');
  assert.ok(lines.length > 300, 'the whole page rendered');
  for (const l of lines) assert.ok([...l].length <= 80, `wider than 80 columns: '${l}'`);
  for (const section of ['SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'ENVIRONMENT', 'FILES', 'EXIT STATUS', 'EXAMPLES']) {
    assert.ok(lines.includes(section), `section ${section}`);
  }
  assert.ok(lines.some((l) => l.trim() === 'vrrpwatch -i enp0s3'), 'the seed\'s example');
});
