import type { ServerResponse } from 'node:http';

/**
 * Writes a whole answer with its length, so that it goes out in one piece: `writeHead` without a
 * Content-Length commits the answer to chunked encoding.
 */
export function sendText(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sendText(res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(body));
}
