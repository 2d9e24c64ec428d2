import { connect, type Socket } from 'node:net';
import type { GqlAnswer } from './bench-db';

type Answer = { status: number; body: any };

/**
 * A minimal HTTP/1.1 client for timing the API without a general-purpose client's own cost: one
 * keep-alive connection, one request at a time, answers read by Content-Length or chunked
 * encoding. In a benchmark whose client shares the process (and the 2-core machine) with the
 * server, node:http's client machinery adds 0.2-0.5 ms to a search request (BENCHMARKS.md,
 * search), which load generators such as wrk avoid by speaking HTTP themselves.
 */
export function rawGql(url: string, token: string) {
  const u = new URL(url);
  let socket: Socket | undefined;
  let pending: { resolve: (a: Answer) => void; reject: (e: Error) => void } | undefined;
  let buffered: Buffer = Buffer.alloc(0);

  const fail = (err: Error) => {
    socket = undefined;
    buffered = Buffer.alloc(0);
    pending?.reject(err);
    pending = undefined;
  };
  const open = () =>
    new Promise<Socket>((resolve, reject) => {
      const s = connect(Number(u.port), u.hostname, () => resolve(s));
      s.setNoDelay(true);
      s.on('data', (chunk: Buffer) => {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        const answer = parse();
        if (answer && pending) {
          const p = pending;
          pending = undefined;
          p.resolve(answer);
        }
      });
      s.on('error', (err) => (pending ? fail(err) : reject(err)));
      s.on('close', () => fail(new Error('connection closed by the server')));
    });

  /** A whole answer from the buffer (consumed), or undefined while more is to come. */
  function parse(): Answer | undefined {
    const headEnd = buffered.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const head = buffered.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(head[0]!.split(' ')[1]);
    const headers = new Map(head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    let at = headEnd + 4;
    let body: Buffer;
    if (headers.has('content-length')) {
      const length = Number(headers.get('content-length'));
      if (buffered.length < at + length) return undefined;
      body = buffered.subarray(at, at + length);
      at += length;
    } else if (headers.get('transfer-encoding') === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = buffered.indexOf('\r\n', at);
        if (lineEnd < 0) return undefined;
        const size = parseInt(buffered.subarray(at, lineEnd).toString('latin1'), 16);
        if (buffered.length < lineEnd + 2 + size + 2) return undefined;
        if (size === 0) {
          at = lineEnd + 4;
          break;
        }
        parts.push(buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts);
    } else throw new Error(`answer without Content-Length or chunked encoding (status ${status})`);
    buffered = buffered.subarray(at);
    return { status, body: JSON.parse(body.toString('utf8')) };
  }

  return async (query: string, variables?: Record<string, unknown>) => {
    if (pending) throw new Error('rawGql sends one request at a time');
    socket ??= await open();
    const body = JSON.stringify({ query, variables });
    const answer = new Promise<Answer>((resolve, reject) => (pending = { resolve, reject }));
    socket.write(
      `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    return (await answer).body as GqlAnswer;
  };
}
