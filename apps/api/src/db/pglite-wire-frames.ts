// Framing of the PostgreSQL wire protocol (v3) for the embedded database's server: cutting a
// client's bytes into whole messages, and reading the end of PGlite's answer. Pure, no I/O.

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;
/** Larger than any statement or parameter set the API sends; PostgreSQL itself allows 1 GB. */
export const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
const MAX_STARTUP_BYTES = 10_000;

export interface FrontendSplit {
  /** Whole messages to hand to PGlite, in order. */
  messages: Buffer[];
  /** Bytes of a message not yet complete. */
  rest: Buffer;
  /** Bytes to answer at once without PGlite ('N' to an SSL or GSS request). */
  reply?: Buffer;
  /** The client said Terminate (or sent a cancel request): close after the messages. */
  terminate: boolean;
  /** Why the bytes cannot be PostgreSQL's protocol; the connection is closed. */
  malformed?: string;
}

/**
 * Cuts `buf` into whole messages. Before startup a message has no type byte (length, then a
 * code); after it, a type byte and a length that counts itself. Stops at Terminate.
 */
export function splitFrontendMessages(buf: Buffer, started: boolean): FrontendSplit {
  const messages: Buffer[] = [];
  const replies: Buffer[] = [];
  let at = 0;
  let begun = started;
  const out = (extra: Partial<FrontendSplit>): FrontendSplit => ({
    messages,
    rest: buf.subarray(at),
    reply: replies.length ? Buffer.concat(replies) : undefined,
    terminate: false,
    ...extra,
  });
  while (at < buf.length) {
    if (!begun) {
      if (buf.length - at < 8) break;
      const length = buf.readInt32BE(at);
      const code = buf.readInt32BE(at + 4);
      if (length < 8 || length > MAX_STARTUP_BYTES) return out({ malformed: `startup packet of ${length} bytes` });
      if (buf.length - at < length) break;
      if (code === SSL_REQUEST || code === GSS_REQUEST) {
        replies.push(Buffer.from('N'));
      } else if (code === CANCEL_REQUEST) {
        at += length; // PGlite has no backend to signal: the request is dropped, as PostgreSQL does with an unknown key
        return out({ terminate: true });
      } else if (code === PROTOCOL_3) {
        messages.push(buf.subarray(at, at + length));
        begun = true;
      } else {
        return out({ malformed: `unsupported protocol ${code >> 16}.${code & 0xffff}` });
      }
      at += length;
      continue;
    }
    if (buf.length - at < 5) break;
    const type = buf[at]!;
    const length = buf.readInt32BE(at + 1);
    if (length < 4 || length > MAX_MESSAGE_BYTES) {
      return out({ malformed: `message '${String.fromCharCode(type)}' of ${length} bytes` });
    }
    if (buf.length - at < 1 + length) break;
    if (type === 0x58 /* X: Terminate */) {
      at += 1 + length;
      return out({ terminate: true });
    }
    messages.push(buf.subarray(at, at + 1 + length));
    at += 1 + length;
  }
  return out({});
}

/**
 * The size of the first message in `head` (its first 8 bytes or fewer), when its length can be read
 * and is one splitFrontendMessages accepts; undefined otherwise (too few bytes, or a length it
 * will refuse).
 */
export function nextMessageBytes(head: Buffer, started: boolean): number | undefined {
  if (!started) {
    if (head.length < 8) return undefined;
    const length = head.readInt32BE(0);
    return length >= 8 && length <= MAX_STARTUP_BYTES ? length : undefined;
  }
  if (head.length < 5) return undefined;
  const length = head.readInt32BE(1);
  return length >= 4 && length <= MAX_MESSAGE_BYTES ? 1 + length : undefined;
}

/**
 * Follows the frames of PGlite's answer across chunks and keeps the status of a final
 * ReadyForQuery ('I' idle, 'T' in a transaction, 'E' in a failed one); undefined when the
 * answer ended on another message (a batch that has not reached its Sync yet).
 */
export class ResponseTail {
  readyStatus: string | undefined;
  private header = Buffer.alloc(0);
  private bodyLeft = 0;
  private type = 0;

  feed(data: Uint8Array): void {
    const chunk = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    let at = 0;
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, chunk.length - at);
        if (this.type === 0x5a && take === this.bodyLeft) this.readyStatus = String.fromCharCode(chunk[at + take - 1]!);
        this.bodyLeft -= take;
        at += take;
        continue;
      }
      let head: Buffer;
      if (this.header.length === 0 && chunk.length - at >= 5) {
        head = chunk.subarray(at, at + 5);
        at += 5;
      } else {
        const need = 5 - this.header.length;
        this.header = Buffer.concat([this.header, chunk.subarray(at, at + need)]);
        at += Math.min(need, chunk.length - at);
        if (this.header.length < 5) break;
        head = this.header;
        this.header = Buffer.alloc(0);
      }
      this.type = head[0]!;
      this.bodyLeft = head.readInt32BE(1) - 4;
      this.readyStatus = undefined;
    }
  }
}

/** An ErrorResponse (FATAL) in the protocol's fields, for refusals made before PGlite sees anything. */
export function wireError(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const head = Buffer.alloc(5);
  head[0] = 0x45;
  head.writeInt32BE(4 + fields.length, 1);
  return Buffer.concat([head, fields]);
}
