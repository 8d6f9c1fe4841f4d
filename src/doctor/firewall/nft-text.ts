// `nft list ruleset` text, read by nft itself: the file is loaded into a throwaway network namespace
// (`unshare --net`, plus `--map-root-user` when not root, so it never touches the host's ruleset; the
// namespace dies with the command) and listed back as JSON (`nft -j`) and as text with handles (`nft -a`).
// nft is the only complete reader of its own grammar (defines, includes, sets, maps, flowtables).
// Includes resolve from the file's directory. Interfaces the ruleset names by index (iif/oif, fwd, defines
// used as such) must exist when nft loads it: each one nft reports missing becomes an interface (a veth: the dummy
// driver is not everywhere) in the namespace and the load is tried again (at most MAX_TRIES). Without nft this answers why.
import { resolve } from 'node:path';
import type { Json } from './nft-expr.js';
import type { Run } from './found.js';

export type NftText = { json: Json; listing: string } | { error: string };

const MARK = '--- vrrpwatch: nft -a list ruleset ---';
const MAX_TRIES = 16;
const SCRIPT = `f="$1"; shift; cd "$(dirname "$f")" || exit 1
n=0; for i in "$@"; do n=$((n+1)); ip link add "$i" type veth peer name "vwfpeer$n" || exit 1; done
nft -I "$(pwd)" -f "$f" && nft -j list ruleset && echo '${MARK}' && nft -a list ruleset`;

/** The interface nft says does not exist: the columns its error names on the source line it quotes. */
function missingInterface(stderr: string): string | null {
  const lines = stderr.split('\n');
  const i = lines.findIndex((l) => /:\d+:(\d+)-(\d+): Error: Interface does not exist/.test(l));
  if (i < 0 || lines[i + 1] === undefined) return null;
  const [, a, b] = /:\d+:(\d+)-(\d+): Error/.exec(lines[i])!;
  const name = lines[i + 1].slice(Number(a) - 1, Number(b)).replace(/^"|"$/g, '');
  return /^[\w.:-]{1,15}$/.test(name) ? name : null;
}

export function nftTextToJson(path: string, run: Run): NftText {
  const userns = typeof process.getuid === 'function' && process.getuid() !== 0 ? ['--map-root-user'] : [];
  const dummies: string[] = [];
  for (let attempt = 0; ; attempt++) {
    const r = run(['unshare', '--net', ...userns, 'sh', '-c', SCRIPT, 'sh', resolve(path), ...dummies]);
    if (r.status === null) return { error: `cannot run unshare/nft to read nft text (${r.stderr.trim() || 'not found'})` };
    if (r.status !== 0) {
      const missing = missingInterface(r.stderr);
      if (missing !== null && !dummies.includes(missing) && attempt < MAX_TRIES) { dummies.push(missing); continue; }
      const first = r.stderr.split('\n').find((l) => /error/i.test(l)) ?? r.stderr.split('\n')[0] ?? '';
      if (/nft: (command )?not found|nft: No such file/.test(r.stderr)) return { error: 'nft is not installed: nft text cannot be read without it (give `nft -j list ruleset` output instead)' };
      if (/unshare: /.test(r.stderr)) return { error: `cannot create a throwaway network namespace to read nft text: ${first.trim()}` };
      return { error: `nft cannot load it: ${first.trim()}` };
    }
    const at = r.stdout.indexOf(MARK);
    if (at < 0) return { error: 'nft gave no listing' };
    try {
      return { json: JSON.parse(r.stdout.slice(0, at)) as Json, listing: r.stdout.slice(at + MARK.length) };
    } catch {
      return { error: 'nft -j gave output that is not JSON' };
    }
  }
}
