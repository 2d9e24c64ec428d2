import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { CliIo } from './command';

/** Reads a line from a terminal without echoing it (passwords: never an argument, seen in shell history and ps). */
export function askHidden(stdin: NodeJS.ReadableStream, io: CliIo, prompt: string): Promise<string> {
  return new Promise((resolve) => {
    let muted = false;
    const output = new Writable({
      write(chunk, _encoding, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: stdin, output, terminal: true });
    rl.question(prompt, (answer) => {
      rl.close();
      io.err('');
      resolve(answer);
    });
    muted = true;
  });
}
