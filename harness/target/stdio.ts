import type { Readable } from 'node:stream';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { type ExitInfo, GroupProcess, RingBuffer, readLines } from './process.js';

/**
 * MCP over stdio, like the SDK's StdioClientTransport (same default environment,
 * same newline-delimited JSON-RPC framing), with what a harness needs on top:
 * the server runs in its own process group so closing it also ends whatever it
 * spawned (`npx` → `node`), the group is killed if the harness dies, stderr and
 * non-JSON-RPC stdout lines are kept for error messages instead of being dropped,
 * and the process exit is observable. It exposes `pid` and `stderr`, so the SDK
 * client treats it as a stdio transport (version probing falls back on silence).
 */
export interface StdioParams {
  command: string;
  args?: string[];
  /** Added to the SDK's minimal inherited environment (HOME, PATH, …). */
  env?: Record<string, string>;
  cwd?: string;
  /** After stdin is closed, how long the server gets before SIGTERM, then SIGKILL. Default 2000 ms. */
  shutdownTimeoutMs?: number;
}

export class HarnessStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T) => void;

  /** Non-JSON-RPC lines seen on stdout (a protocol violation; kept for diagnostics). */
  readonly noise = new RingBuffer(50);
  private noiseCount = 0;
  private proc: GroupProcess | undefined;
  private closed = false;
  private shuttingDown = false;
  private ownExit: ExitInfo | undefined;

  constructor(private readonly params: StdioParams) {}

  async start(): Promise<void> {
    if (this.proc) throw new Error('HarnessStdioTransport already started');
    this.proc = await GroupProcess.spawn(this.params.command, this.params.args ?? [], {
      env: { ...getDefaultEnvironment(), ...this.params.env },
      cwd: this.params.cwd,
      stdin: 'pipe',
      captureStdout: false,
      keepLines: 200,
    });
    const child = this.proc.child;
    child.stdin?.on('error', (err) => this.onerror?.(err));
    readLines(child.stdout as Readable, (line) => this.onLine(line));
    void this.proc.exited.then((e) => {
      if (!this.shuttingDown) this.ownExit = e;
      if (!this.closed) {
        this.closed = true;
        this.onclose?.();
      }
    });
  }

  private onLine(line: string): void {
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (err) {
      this.noiseCount += 1;
      this.noise.push(line.length > 200 ? `${line.slice(0, 200)}…` : line);
      const kind = err instanceof SyntaxError ? 'not JSON' : 'not a JSON-RPC message';
      this.onerror?.(new Error(`stdout line is ${kind}: ${line.slice(0, 120)}`));
      return;
    }
    this.onmessage?.(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.proc?.child.stdin;
    if (!stdin?.writable || !this.proc?.running) throw new Error('stdio server is not running');
    const json = serializeMessage(message);
    if (!stdin.write(json)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  /** Graceful close: end stdin, give the server time to exit, then SIGTERM and SIGKILL its group. */
  async close(): Promise<void> {
    await this.shutdown(true);
  }

  /** Fast teardown for failure paths: SIGTERM the group, SIGKILL after 500 ms. */
  async kill(): Promise<void> {
    await this.shutdown(false);
  }

  private async shutdown(graceful: boolean): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.shuttingDown = true;
    const grace = this.params.shutdownTimeoutMs ?? 2000;
    try {
      proc.child.stdin?.end();
    } catch {
      // already closed
    }
    if (graceful && proc.running) {
      await Promise.race([proc.exited, new Promise((r) => setTimeout(r, Math.min(1000, grace)).unref())]);
    }
    await proc.stop({ graceMs: graceful ? grace : 500 });
    if (!this.closed) {
      this.closed = true;
      this.onclose?.();
    }
  }

  get pid(): number | null {
    return this.proc?.pid ?? null;
  }

  get stderr(): Readable | null {
    return this.proc?.child.stderr ?? null;
  }

  /** Exit of the server process, once it has exited. */
  get exit(): ExitInfo | undefined {
    return this.proc?.exit;
  }

  /** The exit, when the server exited on its own (not because this transport closed it). */
  get unpromptedExit(): ExitInfo | undefined {
    return this.ownExit;
  }

  /** Resolves when the server process exits. */
  get exited() {
    return this.proc?.exited;
  }

  /** Last stderr lines (prefixed `[stderr] `). */
  stderrTail(n = 20): string[] {
    return this.proc?.output.tail(n) ?? [];
  }

  /** How many non-JSON-RPC lines stdout carried. */
  get noiseLines(): number {
    return this.noiseCount;
  }
}
