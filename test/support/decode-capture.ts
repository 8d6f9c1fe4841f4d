// Every frame of a capture file through our reader and decoder, one row per frame (in frame order), for the
// tests that compare our decoding with tshark's frame by frame.
import { readCaptureFile } from '../../src/capture/file.js';
import { PacketDecoder } from '../../src/decode/decoder.js';
import type { Kind } from '../../src/decode/packet.js';
import type { DecodedPacket } from '../../src/decode/record.js';
import { VrrpwatchError } from '../../src/errors.js';

/** `row(kind, record, tsSec, tsNsec)` for each frame; null when the file is not a capture at all (the
 *  reader's one-line input error). Any other error — a test's own assertion included — is thrown. */
export function decodeCapture<T>(file: string, row: (kind: Kind, r: DecodedPacket, tsSec: number, tsNsec: number) => T): T[] | null {
  const d = new PacketDecoder();
  const out: T[] = [];
  try {
    readCaptureFile(file, {
      frame(b, o, c, ol, s, ns, lt) {
        out.push(row(d.decode(b, o, c, ol, s, ns, lt), d.rec, s, ns));
      },
    });
  } catch (e) {
    if (e instanceof VrrpwatchError && e.kind === 'input') return null;
    throw e;
  }
  return out;
}
