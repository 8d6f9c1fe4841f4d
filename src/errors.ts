// Typed errors: thrown anywhere, mapped to one line and an exit code in one place (src/cli/main.ts).

export type ErrorKind =
  | 'usage'         // bad option or argument
  | 'input'         // missing/unreadable file, not a capture
  | 'corrupt'       // capture corrupt/truncated part-way (what was read is still reported)
  | 'permission'    // no capture permission
  | 'interface'     // unknown interface
  | 'binding'       // libpcap binding missing
  | 'filter'        // bad BPF expression
  | 'internal';

export class VrrpwatchError extends Error {
  constructor(readonly kind: ErrorKind, message: string) {
    super(message);
    this.name = 'VrrpwatchError';
  }
}
