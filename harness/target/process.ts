import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Child processes started for a SUT: each runs in its own process group
 * (`detached: true`) so a stop reaches its children too (`npx` → `sh` → `node`),
 * and every live group is killed when the harness exits, even on a crash or Ctrl-C.
 */

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(e: ExitInfo): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

/** The last `capacity` lines of a stream pair, for error messages. */
export class RingBuffer {
  private readonly lines: string[] = [];
  constructor(private readonly capacity = 200) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
  }
  tail(n = this.capacity): string[] {
    return this.lines.slice(-n);
  }
  get size(): number {
    return this.lines.length;
  }
}

/** Split a byte stream into lines, calling `onLine` for each (a trailing partial line is flushed at end). */
export function readLines(stream: Readable, onLine: (line: string) => void): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
  stream.on('error', () => {});
}

export interface SpawnGroupOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** 'pipe' to talk over stdin/stdout (stdio MCP); stdout lines are then not captured. */
  stdin: 'pipe' | 'ignore';
  captureStdout: boolean;
  /** Ring buffer size in lines. */
  keepLines?: number;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

export class GroupProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly output: RingBuffer;
  /** Resolves when the group leader has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private stopping: Promise<ExitInfo> | undefined;

  private constructor(child: ChildProcess, pid: number, output: RingBuffer, exited: Promise<ExitInfo>) {
    this.child = child;
    this.pid = pid;
    this.output = output;
    this.exited = exited.then((e) => {
      this.exitInfo = e;
      return e;
    });
  }

  /**
   * Spawn `command` in a new process group. Rejects (with the OS reason, e.g.
   * ENOENT) when the command cannot be started at all.
   */
  static spawn(command: string, args: string[], opts: SpawnGroupOptions): Promise<GroupProcess> {
    const output = new RingBuffer(opts.keepLines ?? 200);
    const child = spawn(command, args, {
      env: opts.env,
      cwd: opts.cwd,
      detached: true,
      stdio: [opts.stdin, opts.captureStdout ? 'pipe' : opts.stdin === 'pipe' ? 'pipe' : 'ignore', 'pipe'],
      shell: false,
    });
    const capture = (stream: Readable | null, name: 'stdout' | 'stderr') => {
      if (!stream) return;
      readLines(stream, (line) => {
        output.push(`[${name}] ${line}`);
        opts.onLine?.(line, name);
      });
    };
    if (opts.captureStdout) capture(child.stdout, 'stdout');
    capture(child.stderr, 'stderr');
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    return new Promise((resolve, reject) => {
      child.on('error', (err) => {
        // An 'error' before 'spawn' means the process never started.
        if (child.pid === undefined) reject(err);
      });
      child.once('spawn', () => {
        const pid = child.pid as number;
        const proc = new GroupProcess(child, pid, output, exited);
        track(proc);
        void proc.exited.then(() => {
          // The leader is gone; make sure no member of its group survives it for long.
          if (groupAlive(pid)) void proc.stop({ graceMs: 1000 });
          else untrack(proc);
        });
        resolve(proc);
      });
    });
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /**
   * SIGTERM to the whole group, wait up to `graceMs` for the leader to exit and
   * the group to empty, then SIGKILL to the group. Resolves once the leader has
   * exited and (within a last short wait) no process of the group is left.
   */
  stop(opts: { graceMs: number }): Promise<ExitInfo> {
    this.stopping ??= (async () => {
      const pgid = this.pid;
      if (this.running || groupAlive(pgid)) {
        signalGroup(pgid, 'SIGTERM');
        const done = await waitUntil(() => !this.running && !groupAlive(pgid), opts.graceMs);
        if (!done) {
          signalGroup(pgid, 'SIGKILL');
          await waitUntil(() => !this.running && !groupAlive(pgid), 2000);
        }
      }
      const info = await this.exited;
      untrack(this);
      return info;
    })();
    return this.stopping;
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: a
 * grandchild orphaned by the group leader's exit is reaped by init, which in some
 * containers takes a while, and it holds no resources in the meantime.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const members = livingGroupMembers(pgid);
  return members === undefined || members.length > 0;
}

/** PIDs of the group's non-zombie processes (Linux, from /proc), or undefined where /proc is unavailable. */
export function livingGroupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const out: number[] = [];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const state = procState(Number(name));
    if (state && state.pgrp === pgid && state.state !== 'Z' && state.state !== 'X') out.push(Number(name));
  }
  return out;
}

/** State letter and process group of a process, from /proc/PID/stat (undefined if gone or unreadable). */
export function procState(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp …" — comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] as string, pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: already gone.
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  while (!cond()) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(1, deadline - Date.now()))));
    delay = Math.min(delay * 2, 50);
  }
  return true;
}

// ---- exit hooks: no SUT survives the harness ----

const live = new Set<GroupProcess>();
let hooked = false;
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function killAllNow(): void {
  for (const p of live) signalGroup(p.pid, 'SIGKILL');
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  // If nobody else handles this signal, keep Node's default behaviour (terminate).
  if (process.listenerCount(signal) === 1) {
    for (const s of SIGNALS) process.removeListener(s, onSignal);
    hooked = false;
    process.kill(process.pid, signal);
  }
}

function track(p: GroupProcess): void {
  live.add(p);
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllNow);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function untrack(p: GroupProcess): void {
  live.delete(p);
  if (live.size === 0 && hooked) {
    hooked = false;
    process.removeListener('exit', killAllNow);
    for (const s of SIGNALS) process.removeListener(s, onSignal);
  }
}

/** How many SUT process groups this harness currently owns (for tests and diagnostics). */
export function liveGroupCount(): number {
  return live.size;
}
