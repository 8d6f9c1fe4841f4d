// Contracts of the frame sources (file reader, live session).
import type { FrameSink } from '../decode/packet.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Outcome of reading a capture file to the end (or to the point where it broke). */
export interface CaptureReadResult {
  format: CaptureFormat;
  frames: number;
  /** Bytes consumed from the file/stream. */
  bytesRead: number;
  /** File size when known (regular file), null for stdin/pipes. */
  fileSize: number | null;
  /** Link types seen (numbers, DLT_*). */
  linktypes: number[];
  /** null when the file was read to its clean end; otherwise what went wrong and where.
   *  Everything before `offset` was delivered to the sink. */
  problem: { kind: 'truncated' | 'corrupt'; offset: number; message: string } | null;
}

/** Synchronous reader: `readCaptureFile(pathOrDash, sink)`; throws VrrpwatchError('input') when the
 *  file is missing/unreadable or is not a capture at all. Constant memory (one reused buffer). */
export type ReadCaptureFile = (path: string, sink: FrameSink) => CaptureReadResult;

/** Live capture session (src/live). Frames arrive through the sink with kernel timestamps. */
export interface LiveOptions {
  iface: string;
  /** BPF filter expression (default: VRRP + evidence, see src/live/filter.ts). */
  filter: string;
  snaplen: number;
  promisc: boolean;
  /** Kernel buffer size in bytes (0 = libpcap default). */
  bufferSize: number;
  immediate: boolean;
}

export interface LiveStats { received: number; dropped: number; ifDropped: number }

export interface LiveSession {
  readonly linktype: number;
  start(sink: FrameSink): void;
  stats(): LiveStats;
  /** Stops delivery and releases the handle; the process may exit afterwards. */
  close(): void;
}
