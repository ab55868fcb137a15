/**
 * Server side of RFC 6455, just what the Kubernetes channel protocols need: handshake with
 * subprotocol choice, binary/text frames (fragmented or not), ping/pong, close. Written here
 * rather than pulled in so the fake has no WebSocket dependency of its own; the tests talk to it
 * with independent clients (kubectl's Go client, the `ws` package, @kubernetes/client-node).
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const MAX_MESSAGE = 16 * 1024 * 1024;

export interface WsConnection extends EventEmitter {
  readonly protocol: string;
  send(data: Buffer): void;
  close(code?: number, reason?: string): void;
  readonly closed: boolean;
  on(event: 'message', fn: (data: Buffer, binary: boolean) => void): this;
  on(event: 'close', fn: () => void): this;
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers['upgrade'] ?? '').toLowerCase() === 'websocket';
}

/** Offered subprotocols in the client's order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const h = req.headers['sec-websocket-protocol'];
  return (Array.isArray(h) ? h.join(',') : (h ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Completes the handshake (101) with `protocol` ('' = none) and returns the connection. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): WsConnection {
  const key = req.headers['sec-websocket-key'];
  const accept = createHash('sha1')
    .update(`${String(key)}${GUID}`)
    .digest('base64');
  const lines = [
    'HTTP/1.1 101 Switching Protocols',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Accept: ${accept}`,
  ];
  if (protocol) lines.push(`Sec-WebSocket-Protocol: ${protocol}`);
  socket.write(lines.join('\r\n') + '\r\n\r\n');
  return new Conn(socket, protocol, head);
}

class Conn extends EventEmitter implements WsConnection {
  private buf: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private fragmentBinary = true;
  closed = false;

  constructor(
    private readonly socket: Duplex,
    readonly protocol: string,
    head: Buffer,
  ) {
    super();
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('close', () => this.finish());
    socket.on('error', () => this.finish());
    if (head.length) queueMicrotask(() => this.onData(head));
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  private onData(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      const f = this.parseFrame();
      if (!f) return;
      this.onFrame(f.fin, f.opcode, f.payload);
    }
  }

  private parseFrame(): { fin: boolean; opcode: number; payload: Buffer } | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    const fin = (b[0]! & 0x80) !== 0;
    const opcode = b[0]! & 0x0f;
    const masked = (b[1]! & 0x80) !== 0;
    let n = b[1]! & 0x7f;
    let off = 2;
    if (n === 126) {
      if (b.length < 4) return undefined;
      n = b.readUInt16BE(2);
      off = 4;
    } else if (n === 127) {
      if (b.length < 10) return undefined;
      n = Number(b.readBigUInt64BE(2));
      off = 10;
    }
    if (n > MAX_MESSAGE) {
      this.close(1009, 'message too big');
      this.buf = Buffer.alloc(0);
      return undefined;
    }
    const maskLen = masked ? 4 : 0;
    if (b.length < off + maskLen + n) return undefined;
    const payload = Buffer.from(b.subarray(off + maskLen, off + maskLen + n));
    if (masked) {
      const mask = b.subarray(off, off + 4);
      for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i & 3]!;
    }
    this.buf = b.subarray(off + maskLen + n);
    return { fin, opcode, payload };
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
        this.fragments.push(payload);
        if (fin) {
          const all = Buffer.concat(this.fragments);
          this.fragments = [];
          this.emit('message', all, this.fragmentBinary);
        }
        return;
      case 0x1:
      case 0x2:
        if (fin) this.emit('message', payload, opcode === 0x2);
        else {
          this.fragments = [payload];
          this.fragmentBinary = opcode === 0x2;
        }
        return;
      case 0x8: // close: echo it back, then end
        if (!this.closed) this.writeFrame(0x8, payload.subarray(0, 2));
        this.socket.end();
        this.finish();
        return;
      case 0x9:
        this.writeFrame(0xa, payload);
        return;
      default:
        return; // pong and reserved opcodes are ignored
    }
  }

  private writeFrame(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed || !this.socket.writable) return;
    const n = payload.length;
    let header: Buffer;
    if (n < 126) header = Buffer.from([0x80 | opcode, n]);
    else if (n < 65536) {
      header = Buffer.alloc(4);
      header[0] = 0x80 | opcode;
      header[1] = 126;
      header.writeUInt16BE(n, 2);
    } else {
      header = Buffer.alloc(10);
      header[0] = 0x80 | opcode;
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(n), 2);
    }
    this.socket.write(Buffer.concat([header, payload]));
  }

  send(data: Buffer): void {
    if (!this.closed) this.writeFrame(0x2, data);
  }

  close(code = 1000, reason = ''): void {
    if (this.closed) return;
    const r = Buffer.from(reason);
    const p = Buffer.alloc(2 + r.length);
    p.writeUInt16BE(code, 0);
    r.copy(p, 2);
    this.writeFrame(0x8, p);
    this.socket.end();
    this.finish();
  }
}
