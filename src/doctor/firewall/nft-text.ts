// `nft list ruleset` text, read by nft itself: the file is loaded into a throwaway network namespace
// (`unshare --net`, plus `--map-root-user` when not root, so it never touches the host's ruleset) and
// listed back as JSON (`nft -j`) and as text with handles (`nft -a`). nft is the only complete reader of
// its own grammar (defines, includes, sets, maps, flowtables); without nft this answers why, and the
// caller says so in one line.
import type { Json } from './nft-expr.js';
import type { Run } from './found.js';

export type NftText = { json: Json; listing: string } | { error: string };

const MARK = '--- vrrpwatch: nft -a list ruleset ---';

export function nftTextToJson(path: string, run: Run): NftText {
  const userns = typeof process.getuid === 'function' && process.getuid() !== 0 ? ['--map-root-user'] : [];
  const script = `nft -f "$1" && nft -j list ruleset && echo '${MARK}' && nft -a list ruleset`;
  const r = run(['unshare', '--net', ...userns, 'sh', '-c', script, 'sh', path]);
  if (r.status === null) return { error: `cannot run unshare/nft to read nft text (${r.stderr.trim() || 'not found'})` };
  if (r.status !== 0) {
    const first = r.stderr.split('\n').find((l) => /error/i.test(l)) ?? r.stderr.split('\n')[0] ?? '';
    if (/command not found|not found/.test(r.stderr) && !/Error:/.test(r.stderr)) return { error: 'nft is not installed: nft text cannot be read without it (give `nft -j list ruleset` output instead)' };
    if (/Operation not permitted|unshare failed/i.test(r.stderr)) return { error: `cannot create a throwaway network namespace to read nft text: ${first.trim()}` };
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
