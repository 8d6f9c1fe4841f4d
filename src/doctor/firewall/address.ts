// IP addresses as numbers, and whether one lies in a prefix, a netmask or a range as rules write them
// ('10.0.0.0/24', '10.0.0.0/255.255.255.0', 'fe80::/10', '10.0.0.1-10.0.0.9', a bare address).
// Pure; a value it cannot parse answers null so the caller can say "may match".

export interface Address { family: 4 | 6; value: bigint }

function parse4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    v = (v << 8n) | BigInt(Number(p));
  }
  return v;
}

function parse6(s: string): bigint | null {
  let text = s;
  let tail: bigint | null = null;
  let tailGroups = 0;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {      // ::ffff:10.0.0.1
    tail = parse4(text.slice(lastColon + 1));
    if (tail === null) return null;
    text = text.slice(0, lastColon + 1) + '0:0';
    tailGroups = 2;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): string[] => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let v = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tail !== null && tailGroups === 2) v = (v & ~0xffffffffn) | tail;
  return v;
}

/** An address ('10.0.0.2', 'fe80::2', 'fe80::2%eth0'); null when it is none. */
export function parseAddress(s: string): Address | null {
  const t = s.trim().replace(/%.*$/, '');
  if (t.includes(':')) {
    const v = parse6(t);
    return v === null ? null : { family: 6, value: v };
  }
  const v = parse4(t);
  return v === null ? null : { family: 4, value: v };
}

function bits(family: 4 | 6): number { return family === 4 ? 32 : 128; }

function maskOf(family: 4 | 6, len: number): bigint {
  const all = (1n << BigInt(bits(family))) - 1n;
  return len <= 0 ? 0n : (all >> BigInt(bits(family) - len)) << BigInt(bits(family) - len);
}

/**
 * Does `addr` lie in `spec`? spec: address, address/len, address/netmask, or first-last.
 * null: spec unreadable or of the other family (the caller decides what that means).
 */
export function addressIn(addr: Address, spec: string): boolean | null {
  const s = spec.trim();
  const dash = s.indexOf('-');
  if (dash > 0) {
    const lo = parseAddress(s.slice(0, dash));
    const hi = parseAddress(s.slice(dash + 1));
    if (lo === null || hi === null || lo.family !== addr.family || hi.family !== addr.family) return null;
    return addr.value >= lo.value && addr.value <= hi.value;
  }
  const slash = s.indexOf('/');
  const base = parseAddress(slash >= 0 ? s.slice(0, slash) : s);
  if (base === null || base.family !== addr.family) return null;
  let mask: bigint;
  if (slash < 0) mask = maskOf(addr.family, bits(addr.family));
  else {
    const m = s.slice(slash + 1);
    if (/^\d+$/.test(m)) {
      const len = Number(m);
      if (len > bits(addr.family)) return null;
      mask = maskOf(addr.family, len);
    } else {
      const mm = parseAddress(m);
      if (mm === null || mm.family !== addr.family) return null;
      mask = mm.value;
    }
  }
  return (addr.value & mask) === (base.value & mask);
}

/** The family an address spec is written in, or null. */
export function specFamily(spec: string): 4 | 6 | null {
  const first = spec.trim().split(/[/-]/)[0];
  return parseAddress(first)?.family ?? null;
}

/** Multicast address? (224.0.0.0/4, ff00::/8) */
export function isMulticast(a: Address): boolean {
  return a.family === 4 ? (a.value >> 28n) === 0xen : (a.value >> 120n) === 0xffn;
}
