// The block structure of keepalived.conf: logical lines (conf-lines.ts) → a tree of keyword nodes.
// A keyword followed by a '{' line owns the lines up to the matching '}' (keepalived's
// process_stream() for keywords with sub-keywords, alloc_value_block() for lists such as
// virtual_ipaddress: both look the same once every brace is a line of its own).
// Unknown keywords are kept like any other: the model reads the ones it knows and ignores the rest.
// Brace problems become ReadProblems with the place keepalived would report.
import type { ConfLine, Loc, ReadProblem } from './conf-lines.js';

export interface ConfNode {
  keyword: string;
  args: string[];
  loc: Loc;
  /** The block's content; null when the keyword has no block. */
  children: ConfNode[] | null;
  /** Where the block closes (its '}'), null when it has none or never closes. */
  end: Loc | null;
}

/** Keywords keepalived only accepts with a block: a missing '{' is reported ("Missing '{'"). */
const BLOCK_KEYWORDS = new Set([
  'global_defs', 'vrrp_instance', 'vrrp_script', 'vrrp_sync_group', 'authentication', 'virtual_ipaddress',
  'virtual_ipaddress_excluded', 'unicast_peer', 'track_script', 'track_interface', 'group', 'virtual_server',
  'real_server', 'static_ipaddress', 'static_routes', 'virtual_routes', 'virtual_rules', 'track_file',
  'track_process', 'vrrp_track_file', 'vrrp_track_process', 'virtual_server_group',
]);

export function buildTree(lines: ConfLine[]): { root: ConfNode[]; problems: ReadProblem[] } {
  const problems: ReadProblem[] = [];
  const root: ConfNode[] = [];
  const stack: { node: ConfNode | null; children: ConfNode[] }[] = [{ node: null, children: root }];
  let previous: ConfNode | null = null;
  for (const line of lines) {
    const top = stack[stack.length - 1]!;
    const first = line.words[0]!;
    if (first === '{') {
      if (previous !== null && previous.children === null && top.children[top.children.length - 1] === previous) {
        previous.children = [];
        stack.push({ node: previous, children: previous.children });
      } else {
        problems.push({ kind: 'syntax', message: `unexpected '{' (keepalived: "Unexpected '{' - ignoring"): the lines after it are read one level up`, loc: line.loc });
        const anonymous: ConfNode = { keyword: '{', args: [], loc: line.loc, children: [], end: null };
        top.children.push(anonymous);
        stack.push({ node: anonymous, children: anonymous.children! });
      }
      previous = null;
      continue;
    }
    if (first === '}') {
      if (stack.length > 1) {
        const closed = stack.pop()!;
        closed.node!.end = line.loc;
      } else {
        problems.push({ kind: 'syntax', message: `extra '}' (keepalived: "Extra '}' found")`, loc: line.loc });
      }
      previous = null;
      continue;
    }
    const node: ConfNode = { keyword: first, args: line.words.slice(1), loc: line.loc, children: null, end: null };
    if (previous !== null && previous.children === null && BLOCK_KEYWORDS.has(previous.keyword)) missingBrace(previous, problems);
    top.children.push(node);
    previous = node;
  }
  if (previous !== null && previous.children === null && BLOCK_KEYWORDS.has(previous.keyword)) missingBrace(previous, problems);
  for (let i = stack.length - 1; i > 0; i--) {
    const n = stack[i]!.node!;
    problems.push({
      kind: 'syntax',
      message: `'${n.keyword}${n.args.length ? ' ' + n.args.join(' ') : ''}' is never closed: a '}' is missing (keepalived: "There are ${stack.length - 1} missing '}'s or extra '{'s")`,
      loc: n.loc,
    });
  }
  return { root, problems };
}

function missingBrace(n: ConfNode, problems: ReadProblem[]): void {
  problems.push({ kind: 'syntax', message: `'${n.keyword}' needs a block: '{' missing after it (keepalived: "Missing '{' at beginning of configuration block")`, loc: n.loc });
}

/** The first child with this keyword. */
export function child(n: ConfNode, keyword: string): ConfNode | undefined {
  return n.children?.find((c) => c.keyword === keyword);
}

/** The last child with this keyword (keepalived: a repeated scalar keyword overrides the earlier one). */
export function lastChild(n: ConfNode, ...keywords: string[]): ConfNode | undefined {
  const c = n.children;
  if (!c) return undefined;
  for (let i = c.length - 1; i >= 0; i--) if (keywords.includes(c[i]!.keyword)) return c[i];
  return undefined;
}

export function children(n: ConfNode, keyword: string): ConfNode[] {
  return n.children?.filter((c) => c.keyword === keyword) ?? [];
}
