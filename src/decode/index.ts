// Public face of the decoder. Imports nothing outside src/decode.
export { PacketDecoder, plainOther } from './decoder.js';
export { DecodedPacket } from './record.js';
export { ipText4, ipText6, macText, linktypeName } from './text.js';
export { Kind, Reject, Checksum, REJECT_NAMES, CHECKSUM_NAMES } from './packet.js';
export type { PacketRecord, FrameSink } from './packet.js';
