// A throwaway HTTP server on 127.0.0.1 for the client tests.

import * as http from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  url: string;
  body: unknown;
}

export interface TestServer {
  url: string;
  received: Received[];
  aborted: number;  // requests whose client went away before the answer
  close(): Promise<void>;
}

export type Handler = (body: any, res: http.ServerResponse) => void;

export async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      let body: unknown = data;
      try { body = JSON.parse(data); } catch { /* keep the text */ }
      received.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.on('close', () => { if (!res.writableFinished) result.aborted++; });
      handler(body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const result: TestServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    aborted: 0,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  return result;
}

export function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A port on which nothing listens (it was free a moment ago). */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
