// Text formatters for addresses and link types. Called only when text is wanted (never per packet
// on the hot path). Exported for the report, the dashboard and the per-advert printer.

function hex4(n: number): string {
  return n.toString(16);
}

/** IPv4 address (a 32-bit number, big-endian order) as dotted quad. */
export function ipText4(n: number): string {
  return ((n >>> 24) & 255) + '.' + ((n >>> 16) & 255) + '.' + ((n >>> 8) & 255) + '.' + (n & 255);
}

/**
 * IPv6 address from four big-endian 32-bit words, in the form tcpdump prints (RFC 5952: lower
 * case, no leading zeros, the longest run of two or more zero groups replaced by "::", the first
 * one on a tie; IPv4-mapped ::ffff:a.b.c.d and the old compatible ::a.b.c.d in dotted form, as
 * tcpdump's addrtostr6 and glibc's inet_ntop do).
 */
export function ipText6(w0: number, w1: number, w2: number, w3: number): string {
  const g = [
    (w0 >>> 16) & 0xffff, w0 & 0xffff, (w1 >>> 16) & 0xffff, w1 & 0xffff,
    (w2 >>> 16) & 0xffff, w2 & 0xffff, (w3 >>> 16) & 0xffff, w3 & 0xffff,
  ];
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (g[i] === 0) {
      if (curBase < 0) { curBase = i; curLen = 1; } else curLen++;
      if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
    } else {
      curBase = -1;
      curLen = 0;
    }
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && g[5] === 0xffff))) {
      out += ipText4(w3 >>> 0);
      return out;
    }
    out += hex4(g[i]);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ':';
  return out;
}

function hex2(n: number): string {
  return (n < 16 ? '0' : '') + n.toString(16);
}

/** MAC address from its high 16 bits and low 32 bits, "aa:bb:cc:dd:ee:ff"; '' when hi < 0. */
export function macText(hi: number, lo: number): string {
  if (hi < 0) return '';
  return hex2((hi >>> 8) & 255) + ':' + hex2(hi & 255) + ':' + hex2((lo >>> 24) & 255) + ':' +
    hex2((lo >>> 16) & 255) + ':' + hex2((lo >>> 8) & 255) + ':' + hex2(lo & 255);
}

// LINKTYPE_* names as tcpdump/libpcap spell them (pcap-linktype(7)); the common ones only.
const LINKTYPE_NAMES: { [lt: number]: string } = {
  0: 'NULL', 1: 'EN10MB', 6: 'IEEE802', 8: 'SLIP', 9: 'PPP', 10: 'FDDI', 12: 'RAW', 14: 'RAW',
  50: 'PPP_HDLC', 51: 'PPP_ETHER', 101: 'RAW', 104: 'C_HDLC', 105: 'IEEE802_11', 107: 'FRELAY',
  108: 'LOOP', 113: 'LINUX_SLL', 119: 'PRISM_HEADER', 127: 'IEEE802_11_RADIO', 138: 'APPLE_IP_OVER_IEEE1394',
  139: 'MTP2_WITH_PHDR', 143: 'DOCSIS', 163: 'IEEE802_11_RADIO_AVS', 187: 'BLUETOOTH_HCI_H4',
  189: 'USB_LINUX', 192: 'PPI', 195: 'IEEE802_15_4_WITHFCS', 201: 'BLUETOOTH_HCI_H4_WITH_PHDR',
  215: 'IEEE802_15_4_NONASK_PHY', 220: 'USB_LINUX_MMAPPED', 228: 'IPV4', 229: 'IPV6',
  239: 'NFLOG', 249: 'USBPCAP', 253: 'NETLINK', 274: 'ETHERNET_MPACKET', 276: 'LINUX_SLL2',
};

/** Name of a pcap link type (DLT/LINKTYPE number), e.g. 1 -> "EN10MB"; unknown -> "LINKTYPE_<n>". */
export function linktypeName(lt: number): string {
  const n = LINKTYPE_NAMES[lt];
  return n !== undefined ? n : 'LINKTYPE_' + lt;
}
