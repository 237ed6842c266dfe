import { describe, expect, it } from 'vitest';
import { firstLeak, leaksIn } from '../../../harness/checks/internals.js';

/** What the one internals detector counts as a leak, and what it leaves alone. */

const kinds = (text: string) => leaksIn(text).map((l) => l.what);

describe('internals in error texts', () => {
  it.each([
    ['a V8 stack frame', 'Error: x\n    at Foo.bar (file:///srv/app/dist/index.js:12:5)', 'a stack frame'],
    ['a frame without a function', 'at /srv/app/server.js:3:9', 'a stack frame'],
    [
      'a node internal frame',
      'at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      'a stack frame',
    ],
    [
      'an async frame',
      'boom\n    at async Promise.all (index 0)\n    at async run (/w/x.mjs:4:1)',
      'a stack frame',
    ],
    ['a relative source frame', 'at handler (src/tools/echo.ts:10:3)', 'a stack frame'],
    ['a filesystem path', 'ENOENT: open "/etc/gateway/secrets.json"', 'a filesystem path'],
    ['a home directory', "cannot open '/home/gw/.config/tokens'", 'a filesystem path'],
    ['a Windows path', 'failed in C:\\Users\\gw\\app.js', 'a source file path'],
    ['a source path', 'loaded from /opt/gw/lib/router.py', 'a source file path'],
    ['a ReferenceError', 'alpha/echo: ReferenceError: key is not defined', 'a JavaScript error class'],
    ['a bare ReferenceError message', 'alpha/echo: key is not defined', 'a JavaScript engine message'],
    ['a whole ReferenceError message', 'key is not defined', 'a JavaScript engine message'],
    [
      'a property read on undefined',
      "Cannot read properties of undefined (reading 'y')",
      'a JavaScript engine message',
    ],
    ['the old V8 phrasing', "Cannot read property 'y' of null", 'a JavaScript engine message'],
    ['a TypeError', 'TypeError: fetch failed', 'a JavaScript error class'],
    [
      'a call of a non-function',
      'alpha/echo: client.callTool is not a function',
      'a JavaScript engine message',
    ],
    [
      'a Python traceback',
      'Traceback (most recent call last):\n  File "/srv/gw/app.py", line 12, in handle\nKeyError: \'x\'',
      'a Python traceback',
    ],
    ['a Python frame', 'File "gateway/router.py", line 88, in route', 'a Python traceback'],
    ['a Python NameError', "NameError: name 'session' is not defined", 'a Python traceback'],
    ['a Python NoneType', "'NoneType' object has no attribute 'call'", 'a Python traceback'],
    ['a Go panic', 'panic: runtime error: index out of range [3] with length 2', 'a Go panic'],
    ['a Go goroutine dump', 'goroutine 1 [running]:\nmain.main()', 'a Go panic'],
    [
      'a Go nil dereference',
      'runtime error: invalid memory address or nil pointer dereference',
      'a Go panic',
    ],
    ['a Java frame', 'java failure\n\tat com.x.Y.z(Y.java:12)', 'a Java stack frame'],
    ['a Java native frame', 'at sun.nio.ch.Net.connect0(Native Method)', 'a Java stack frame'],
    ['a Java thread dump', 'Exception in thread "main" oops', 'a Java exception'],
    ['a Java exception class', 'java.lang.NullPointerException: null', 'a Java exception'],
    ['a .NET frame', 'at Gw.Router.Route(String name) in C:\\src\\Router.cs:line 42', 'a .NET stack frame'],
    ['a .NET exception', 'System.NullReferenceException: Object reference not set', 'a .NET exception'],
  ])('finds %s', (_, text, what) => {
    expect(kinds(text), text).toContain(what);
  });

  it('reads texts serialised as JSON (escaped newlines and quotes)', () => {
    const json = JSON.stringify({
      content: [{ type: 'text', text: 'Traceback (most recent call last):\n  File "x.py", line 1, in f' }],
    });
    expect(kinds(json)).toContain('a Python traceback');
    expect(kinds(JSON.stringify({ message: 'oops\n    at run (/srv/a.js:1:2)' }))).toContain('a stack frame');
  });

  it.each([
    'alpha/rpc_error: alpha/rpc_error refused',
    'search/query: connection refused (http://127.0.0.1:4001/api/v1/mcp)',
    'the job failed at 12:30:45',
    'Unknown tool: no_such_tool, content type text/plain at /mcp',
    "tool 'x' is not defined on server alpha",
    'tool x is not defined on server alpha',
    "Tool 'no_such_tool__mcp_harness' not found",
    'alpha/fail: the widget is broken',
    'MCP error -32602: Invalid params: arguments must be an object',
    'gamma: the server closed the connection',
    'alpha/slow: HTTP 500 Internal Server Error',
    'POST /api/v1/mcp returned 503',
    'read alpha://docs/readme: not found',
    'beta/lookup: no answer within 1500 ms',
    "Don't panic: the backend restarts",
    'search is not a function of this server',
    'a Type error in your input: expected a number',
    'the resource at /docs/readme moved',
    'mcp-harness injected failure',
    'src/config/parse.ts:12 parseConfig()',
    'see docs/guide/setup.md for the token',
    'http://127.0.0.1:4001/static/app/main.js',
  ])('leaves alone %j', (text) => {
    expect(leaksIn(text), text).toEqual([]);
  });

  it('gives one excerpt per kind, clipped', () => {
    const l = firstLeak(`TypeError: ${'x'.repeat(300)}\n    at f (/srv/a.js:1:2)`);
    expect(l?.what).toBe('a stack frame');
    expect(leaksIn(`TypeError: ${'x'.repeat(300)}`)[0]?.excerpt.length).toBeLessThanOrEqual(80);
  });
});
