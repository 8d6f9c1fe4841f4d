// What `-r` was given: one capture (the report of one vantage point, as always) or several (read together,
// src/cli/vantage.ts), each `FILE` or `NAME=FILE`. Light on purpose: the one-capture path loads nothing else.
import { realpathSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { VrrpwatchError } from '../errors.js';
import { MAX_VANTAGE_POINTS } from '../analyze/vantage/limits.js';

export interface VantageInput {
  name: string;
  file: string;
}

/** A capture name: letters, digits and . _ : - (an address, a host name). */
const NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** `-r FILE` or `-r NAME=FILE` (when FILE exists as given it is a file, whatever it contains). */
export function splitRead(arg: string): VantageInput {
  const eq = arg.indexOf('=');
  if (eq > 0 && NAME.test(arg.slice(0, eq)) && !exists(arg)) return { name: arg.slice(0, eq), file: arg.slice(eq + 1) };
  return { name: '', file: arg };
}

function exists(p: string): boolean {
  try { realpathSync(p); return true; } catch { return false; }
}

/** The captures of several `-r`, named, or a usage error for what cannot be read together. */
export function vantageInputs(reads: readonly string[]): VantageInput[] {
  if (reads.length > MAX_VANTAGE_POINTS) throw new VrrpwatchError('usage', `at most ${MAX_VANTAGE_POINTS} captures can be read together (-r given ${reads.length} times)`);
  const inputs = reads.map(splitRead);
  const real = new Map<string, string>();
  for (const i of inputs) {
    if (i.file === '-' || i.file === '') throw new VrrpwatchError('usage', 'with several -r every capture must be a file: standard input cannot be read twice');
    let rp: string;
    try { rp = realpathSync(i.file); } catch { throw new VrrpwatchError('input', `cannot open capture ${i.file}: no such file`); }
    const prev = real.get(rp);
    if (prev !== undefined) throw new VrrpwatchError('usage', `${i.file} is given twice (also as ${prev}): each -r is a capture taken at another place`);
    real.set(rp, i.file);
  }
  // default names: the file name without its extension; the path where two would be the same
  const auto = inputs.filter((i) => i.name === '');
  for (const i of auto) i.name = basename(i.file, extname(i.file));
  for (const i of auto) if (inputs.filter((x) => x.name === i.name).length > 1) i.name = i.file;
  for (const i of inputs) {
    if (inputs.filter((x) => x.name === i.name).length > 1) throw new VrrpwatchError('usage', `two captures are named ${i.name}: name them with -r NAME=FILE`);
  }
  return inputs;
}

