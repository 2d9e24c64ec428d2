import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, nextMessageBytes, ResponseTail, splitFrontendMessages, wireError } from './pglite-wire-frames';

const message = (type: number, body: Uint8Array) => {
  const b = Buffer.alloc(5 + body.length);
  b[0] = type;
  b.writeInt32BE(4 + body.length, 1);
  Buffer.from(body).copy(b, 5);
  return b;
};
const startupPacket = () => {
  const body = Buffer.from('user\0postgres\0\0');
  const b = Buffer.alloc(8 + body.length);
  b.writeInt32BE(b.length, 0);
  b.writeInt32BE(196608, 4);
  body.copy(b, 8);
  return b;
};
const typed = fc.record({
  type: fc.constantFrom(...'PBDESQHCd'.split('').map((c) => c.charCodeAt(0))),
  body: fc.uint8Array({ maxLength: 40 }),
});
/** Cut points of a buffer, so it arrives in pieces as TCP delivers it. */
const pieces = (buf: Buffer, cuts: number[]) => {
  const at = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, buf.length]) {
    out.push(buf.subarray(prev, c));
    prev = c;
  }
  return out;
};

describe('splitFrontendMessages', () => {
  it('gives back the startup packet and every message whole, however the bytes are cut', () => {
    fc.assert(
      fc.property(fc.array(typed, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (msgs, cuts) => {
        const wanted = [startupPacket(), ...msgs.map((m) => message(m.type, m.body))];
        const all = Buffer.concat(wanted);
        const got: Buffer[] = [];
        let buffered: Buffer = Buffer.alloc(0);
        let started = false;
        for (const piece of pieces(all, cuts)) {
          const split = splitFrontendMessages(Buffer.concat([buffered, piece]), started);
          expect(split.malformed).toBeUndefined();
          got.push(...split.messages);
          if (split.messages.length) started = true;
          buffered = split.rest;
        }
        expect(buffered.length).toBe(0);
        expect(got.map((b) => b.toString('hex'))).toEqual(wanted.map((b) => b.toString('hex')));
      }),
    );
  });

  it('answers N to an SSL request, stops at Terminate, and names a length that cannot be', () => {
    const ssl = Buffer.alloc(8);
    ssl.writeInt32BE(8, 0);
    ssl.writeInt32BE(80877103, 4);
    const first = splitFrontendMessages(Buffer.concat([ssl, startupPacket()]), false);
    expect(first.reply?.toString()).toBe('N');
    expect(first.messages).toHaveLength(1);

    const q = message(0x51, Buffer.from('select 1\0'));
    const x = message(0x58, new Uint8Array());
    const ended = splitFrontendMessages(Buffer.concat([q, x, q]), true);
    expect(ended).toMatchObject({ terminate: true });
    expect(ended.messages).toHaveLength(1);

    const huge = Buffer.from([0x51, 0, 0, 0, 0]);
    huge.writeInt32BE(MAX_MESSAGE_BYTES + 1, 1);
    expect(splitFrontendMessages(huge, true).malformed).toMatch(/message 'Q' of 268435457 bytes/);
    expect(splitFrontendMessages(Buffer.from([0x51, 0, 0, 0, 3]), true).malformed).toMatch(/of 3 bytes/);
    expect(splitFrontendMessages(Buffer.from('GET / HTTP/1.1\r\n'), false).malformed).toMatch(/startup packet of/);
  });

  it('nextMessageBytes reads the size splitFrontendMessages cuts at, from the first 8 bytes', () => {
    fc.assert(
      fc.property(typed, (m) => {
        const whole = message(m.type, m.body);
        expect(nextMessageBytes(whole.subarray(0, 8), true)).toBe(whole.length);
        expect(nextMessageBytes(whole.subarray(0, 4), true)).toBeUndefined();
      }),
    );
    expect(nextMessageBytes(startupPacket().subarray(0, 8), false)).toBe(startupPacket().length);
    expect(nextMessageBytes(Buffer.from([0x51, 0x7f, 0xff, 0xff, 0xff]), true)).toBeUndefined();
  });

  it('never throws on any bytes, before or after startup', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, started) => {
        const split = splitFrontendMessages(Buffer.from(bytes), started);
        expect(split.rest.length).toBeLessThanOrEqual(bytes.length);
      }),
    );
  });
});

describe('ResponseTail', () => {
  it('reads the status of a final ReadyForQuery across any cuts, and none when the answer ends on another message', () => {
    fc.assert(
      fc.property(
        fc.array(typed, { maxLength: 8 }),
        fc.option(fc.constantFrom('I', 'T', 'E'), { nil: undefined }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (msgs, status, cuts) => {
          const parts = msgs.map((m) => message(m.type === 0x5a ? 0x44 : m.type, m.body));
          if (status) parts.push(message(0x5a, Buffer.from(status)));
          const tail = new ResponseTail();
          for (const piece of pieces(Buffer.concat(parts), cuts)) tail.feed(piece);
          expect(tail.readyStatus).toBe(status);
        },
      ),
    );
  });
});

it('wireError is one ErrorResponse frame with the code and message', () => {
  const e = wireError('53300', 'too many');
  expect(e[0]).toBe(0x45);
  expect(e.readInt32BE(1)).toBe(e.length - 1);
  expect(e.toString()).toContain('C53300\0Mtoo many\0');
});
