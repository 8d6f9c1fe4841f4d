// What a fix is (src/remedy/index.ts builds them, wire.ts the vantage-point ones): commands for one host, with
// a title that says what they do. Plain data; the report, JSON and dashboard print them.

export interface Fix {
  tool: 'firewalld' | 'iptables' | 'nftables' | 'ufw' | 'keepalived' | 'switch' | 'bridge' | 'arping' | 'ndisc6' | 'vrrpwatch';
  /** Host the commands must run on; null = every node of the virtual router. */
  host: string | null;
  title: string;
  commands: string[];
}

export interface FixOptions {
  /** Interface the adverts arrive on; omitted from the commands when unknown. */
  iface?: string;
}

/** Characters allowed in an address or interface name we paste into a shell command. */
export function safe(s: string): string {
  return /^[0-9A-Za-z.:_%@\-]+$/.test(s) ? s : "'" + s.replace(/'/g, '') + "'";
}
