#!/usr/bin/env node
// Adds up the mutation reports of a source folder, whole or run in parts (scripts/mutation.sh), to the
// folder's score: `node scripts/mutation-score.mjs [FOLDER...]` (default: every folder with a report).
// Reads reports/mutation/FOLDER.json and FOLDER--PART.json; where two reports hold the same source file,
// the newer one counts. Prints a Markdown table per folder (by file, then the total), the survivors by
// kind of mutation, and the folder's source files that no report holds yet; with --survivors, also each
// surviving or uncovered mutant: where, which mutation, the line before and after.
//
// Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker computes it;
// mutants that did not compile or crashed the run are not scored.
import fs from 'node:fs';
import path from 'node:path';

const DIR = 'reports/mutation';
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function reportsByFolder() {
  const byFolder = new Map();
  if (!fs.existsSync(DIR)) return byFolder;
  for (const name of fs.readdirSync(DIR)) {
    const m = /^([a-z]+)(?:--([a-z-]+))?\.json$/.exec(name);
    if (m === null) continue;
    const file = path.join(DIR, name);
    const list = byFolder.get(m[1]) ?? [];
    list.push({ file, part: m[2] ?? '(whole)', mtime: fs.statSync(file).mtimeMs });
    byFolder.set(m[1], list);
  }
  return byFolder;
}

function count(mutants) {
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  for (const m of mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return { ...c, score: valid === 0 ? NaN : (100 * detected) / valid };
}

const pct = (x) => (Number.isNaN(x) ? '—' : `${x.toFixed(2)} %`);

function summarise(folder, reports) {
  // the newest report of each source file wins
  const files = new Map();
  for (const r of [...reports].sort((a, b) => a.mtime - b.mtime)) {
    let json;
    try {
      json = JSON.parse(fs.readFileSync(r.file, 'utf8'));
    } catch (e) {
      console.error(`mutation-score: ${r.file}: not a mutation report (${e.message})`);
      process.exitCode = 1;
      continue;
    }
    for (const [name, f] of Object.entries(json.files ?? {})) files.set(name, { mutants: f.mutants, source: f.source ?? '', part: r.part });
  }
  console.log(`## src/${folder}\n`);
  console.log(`reports: ${reports.map((r) => `${path.basename(r.file)} (${new Date(r.mtime).toISOString().slice(0, 16)}Z)`).join(', ')}\n`);
  console.log('| file | part | killed | timeout | survived | no coverage | not compiled | score |');
  console.log('|---|---|---|---|---|---|---|---|');
  const all = [];
  for (const [name, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const c = count(f.mutants);
    all.push(...f.mutants);
    console.log(`| \`${name}\` | ${f.part} | ${c.Killed} | ${c.Timeout} | ${c.Survived} | ${c.NoCoverage} | ${c.CompileError} | ${pct(c.score)} |`);
  }
  const t = count(all);
  console.log(`| **total** | | ${t.Killed} | ${t.Timeout} | ${t.Survived} | ${t.NoCoverage} | ${t.CompileError} | **${pct(t.score)}** |\n`);
  const kinds = new Map();
  for (const m of all) if (UNDETECTED.has(m.status)) kinds.set(m.mutatorName, (kinds.get(m.mutatorName) ?? 0) + 1);
  console.log(`survivors and uncovered by kind: ${[...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`);
  const sources = fs.existsSync(`src/${folder}`)
    ? fs.readdirSync(`src/${folder}`, { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => `src/${folder}/${f}`)
    : [];
  const missing = sources.filter((s) => !files.has(s));
  console.log(`source files in no report (not yet run, or without a mutant): ${missing.length === 0 ? 'none' : missing.join(', ')}\n`);
  if (listSurvivors) printSurvivors(files);
}

/** Each undetected mutant as `file:line:column status mutator`, then its source line and the mutated one. */
function printSurvivors(files) {
  for (const [name, f] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const lines = f.source.split('\n'); // the source as it was mutated, not as it is now
    for (const m of f.mutants.filter((x) => UNDETECTED.has(x.status)).sort((a, b) => a.location.start.line - b.location.start.line)) {
      const { start, end } = m.location;
      const line = lines[start.line - 1] ?? '';
      const mutated = start.line === end.line
        ? line.slice(0, start.column - 1) + (m.replacement ?? '') + line.slice(end.column - 1)
        : `${line.slice(0, start.column - 1)}${m.replacement ?? ''} …`;
      console.log(`${name}:${start.line}:${start.column} ${m.status} ${m.mutatorName}`);
      console.log(`  - ${line.trim()}\n  + ${mutated.trim()}`);
    }
  }
  console.log('');
}

const listSurvivors = process.argv.includes('--survivors');
const wanted = process.argv.slice(2).filter((a) => a !== '--survivors');
const byFolder = reportsByFolder();
const folders = wanted.length > 0 ? wanted : [...byFolder.keys()].sort();
for (const folder of folders) {
  const reports = byFolder.get(folder);
  if (reports === undefined) {
    console.error(`mutation-score: no report for src/${folder} in ${DIR} (run: npm run mutation -- ${folder})`);
    process.exitCode = 1;
    continue;
  }
  summarise(folder, reports);
}
