import { connect } from 'node:net';

export interface RawAnswer {
  /** Status codes of every answer the server wrote on the connection, in order. */
  statuses: number[];
  /** Everything the server wrote, as text. */
  text: string;
  /** The server closed (or reset) the connection before the time ran out. */
  closed: boolean;
}

/**
 * Sends bytes exactly as given on a fresh TCP connection and collects what comes back until the
 * server closes the connection or `waitMs` pass: for requests no HTTP client would send (malformed
 * request lines, broken headers, truncated chunked bodies).
 */
export function rawRequest(
  url: string,
  bytes: string | Buffer,
  waitMs = 1500,
  opts: { stopAfterAnswers?: number } = {},
): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ statuses: statusesOf(text), text, closed });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (c) => {
      chunks.push(c);
      // Enough answers seen: no need to wait for a kept-alive connection to time out.
      if (opts.stopAfterAnswers && statusesOf(Buffer.concat(chunks).toString('latin1')).length >= opts.stopAfterAnswers) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
  });
}

/** The status of each answer in a stream of HTTP/1.1 answers, stepping over bodies by Content-Length or chunks. */
function statusesOf(text: string): number[] {
  const out: number[] = [];
  let at = 0;
  while (at < text.length) {
    const head = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n([\s\S]*?)\r\n\r\n/.exec(text.slice(at));
    if (!head) break;
    out.push(Number(head[1]));
    at += head[0].length;
    const length = /(?:^|\r\n)content-length:\s*(\d+)/i.exec(head[2]!);
    if (length) at += Number(length[1]);
    else if (/(?:^|\r\n)transfer-encoding:\s*chunked/i.test(head[2]!)) {
      for (;;) {
        const size = /^([0-9a-f]+)[^\r\n]*\r\n/i.exec(text.slice(at));
        if (!size) return out;
        at += size[0].length + parseInt(size[1]!, 16) + 2;
        if (parseInt(size[1]!, 16) === 0) break;
      }
    }
  }
  return out;
}
