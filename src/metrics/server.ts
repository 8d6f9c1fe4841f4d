// The metrics' HTTP side: GET/HEAD /metrics on [ADDR:]PORT (`--metrics`), 404 elsewhere, 405 for other
// methods, 500 with one line when making the text fails; and the parsing of the `--metrics` value.
// Knows nothing of snapshots or series: it serves what `body()` returns.
// Invariants: one server per exporter; a port that cannot be bound is one VrrpwatchError('usage')
// line, never a stack trace; slow or idle clients are cut by the header, request and keep-alive
// timeouts; close() closes idle keep-alive connections too.
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { VrrpwatchError } from '../errors.js';

export class MetricsServer {
  private server: Server | null = null;

  /** `body`: the exposition text (may refresh the metrics first; a throw is served as HTTP 500). */
  constructor(private readonly body: () => Promise<string>, private readonly contentType: () => string) {}

  /** Serves GET/HEAD /metrics on addr:port ('' or '::' = all addresses, port 0 = any). */
  serve(addr: string, port: number): Promise<Server> {
    if (this.server) return Promise.reject(new VrrpwatchError('internal', 'metrics server already running'));
    const server = createServer((req, res) => { void this.respond(req, res); });
    server.keepAliveTimeout = 5_000;
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return new Promise<Server>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        const where = `${addr.includes(':') ? `[${addr}]` : addr}:${port}`;
        const why = err.code === 'EADDRINUSE' ? 'address already in use'
          : err.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)'
          : err.code === 'EADDRNOTAVAIL' ? 'no such local address' : err.message;
        reject(new VrrpwatchError('usage', `cannot serve metrics on ${where}: ${why}`));
      };
      server.once('error', onError);
      server.listen({ host: addr === '' ? undefined : addr, port }, () => {
        server.off('error', onError);
        server.on('error', () => { /* per-connection errors: nothing to do */ });
        this.server = server;
        resolve(server);
      });
    });
  }

  /** Stops the HTTP server (if any), closing idle keep-alive connections. */
  close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return Promise.resolve();
    return new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
    });
  }

  private async respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found: metrics are at /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    try {
      const body = await this.body();
      res.writeHead(200, { 'Content-Type': this.contentType(), 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`metrics failed: ${(err as Error).message}\n`);
    }
  }
}

/** Parses `--metrics [ADDR:]PORT` (`:9810`, `9810`, `127.0.0.1:9810`, `[::1]:9810`). */
export function parseListen(spec: string): { addr: string; port: number } {
  const bad = (): never => { throw new VrrpwatchError('usage', `bad --metrics value ${JSON.stringify(spec)}: expected [ADDR:]PORT, e.g. :9810 or 127.0.0.1:9810`); };
  let addr = '';
  let portText = spec.trim();
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(portText);
  if (m) { addr = m[1]; portText = m[2]; }
  else {
    const i = portText.lastIndexOf(':');
    if (i >= 0) {
      addr = portText.slice(0, i);
      portText = portText.slice(i + 1);
      if (addr.includes(':')) bad(); // bare IPv6 needs brackets
    }
  }
  if (!/^\d{1,5}$/.test(portText)) bad();
  const port = Number(portText);
  if (port > 65535) bad();
  return { addr, port };
}
