// Text that came off the wire must never drive the terminal: control characters (C0, DEL, C1),
// and therefore every ESC sequence, are replaced before anything is printed.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Printable form of packet-derived text: control characters become '.', as tcpdump prints them. */
export function sanitize(text: string): string {
  return text.replace(CONTROL, '.');
}

/** A simple-auth password as shown by default: always 8 stars (neither content nor length leaks);
 *  '' for an empty one, which is worth knowing. */
export function maskSecret(text: string | null, show: boolean): string | null {
  if (text === null) return null;
  if (show) return sanitize(text);
  return text.length === 0 ? '' : '********';
}
