// Output written in large batches straight to a file descriptor (pino's lesson): per-line
// process.stdout.write is far slower, and a closed pipe (`| head`) must end quietly, not throw.
import { writeSync } from 'node:fs';

export class BatchWriter {
  private chunks: string[] = [];
  private size = 0;
  closed = false;

  constructor(private readonly fd: number, private readonly limit = 1 << 16) {}

  line(s: string): void {
    if (this.closed) return;
    this.chunks.push(s, '\n');
    this.size += s.length + 1;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.size === 0 || this.closed) return;
    const data = this.chunks.join('');
    this.chunks = [];
    this.size = 0;
    let buf = Buffer.from(data);
    while (buf.length > 0) {
      try {
        const n = writeSync(this.fd, buf);
        buf = buf.subarray(n);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') { this.closed = true; return; }
        throw e;
      }
    }
  }
}
