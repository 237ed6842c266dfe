import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { nowUs } from '../../harness/measure/clock.js';
import { type ServerSpec, servedEra } from '../../harness/schema/fleet.js';
import type { WireEffect } from '../faults/types.js';
import { buildServer } from '../server/catalog.js';
import { type Admission, Connection } from '../server/connection.js';
import { startControlLink } from '../server/control-link.js';
import { Mock, type MockHost } from '../server/mock.js';

/**
 * Serve one fleet server over this process's stdin/stdout, the way a SUT
 * spawns an MCP server. With MCP_HARNESS_CONTROL set, the process reports its
 * call log to the harness and takes faults from it.
 */
export async function runStdioMock(
  spec: ServerSpec,
  seed: number,
  controlUrl = process.env.MCP_HARNESS_CONTROL,
) {
  let flush: () => Promise<void> = async () => {};
  const exit = async (code: number) => {
    await flush().catch(() => undefined);
    process.exit(code);
  };
  const host = (mock: Mock): MockHost => ({
    async listen() {
      const conn = new Connection(mock, `pid${process.pid}`);
      conn.gateBeforeInitialize = true; // a pipe that never sent initialize is refused (unless lenient)
      mock.connections.add(conn);
      const transport = new StdioServerTransport(process.stdin, process.stdout);
      const observed = conn.observe(transport, stdioWire(mock, exit));
      const era = servedEra(mock.spec);
      if (era === 'legacy') {
        conn.server = buildServer(conn);
        await conn.server.connect(observed);
      } else {
        // The SDK's stdio entry decides the era from the opening message and pins one instance to the pipe.
        conn.eraByEnvelope = true;
        serveStdio(
          (ctx) => {
            conn.era = ctx.era;
            conn.server = buildServer(conn);
            return conn.server;
          },
          { transport: observed, legacy: era === 'dual' ? 'serve' : 'reject', onerror: () => {} },
        );
      }
      return { name: mock.name, transport: 'stdio' };
    },
    // A stdio mock that goes down is a process that exits: the SUT sees its child die.
    goDown: () => exit(1),
    goUp: async () => {},
    close: () => exit(0),
  });
  const mock = new Mock({ ...spec, transport: 'stdio' }, seed, host);
  if (controlUrl) {
    const link = await startControlLink(mock, controlUrl);
    flush = link.flush;
  }
  await mock.start();
  // The SUT closing our stdin is the end of the session.
  process.stdin.on('end', () => void exit(0));
  for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => void exit(0));
  return mock;
}

function stdioWire(mock: Mock, exit: (code: number) => Promise<void>) {
  return async (message: JSONRPCMessage, wire: WireEffect, adm: Admission): Promise<boolean> => {
    const line = `${JSON.stringify(message)}\n`;
    const done = (outcome: Admission['record']['outcome']) => {
      adm.record.outcome = outcome;
      adm.record.completedUs = nowUs();
      mock.log.touch(adm.record);
    };
    switch (wire.kind) {
      case 'malformed':
        process.stdout.write(`${wire.bytes}\n`);
        done('malformed');
        return true;
      case 'drop':
        // The pipe is the connection: half a message, then the process is gone.
        process.stdout.write(line.slice(0, wire.afterBytes));
        done('dropped');
        await exit(1);
        return true;
      case 'slow':
        for (let i = 0; i < line.length; i += wire.chunkBytes) {
          process.stdout.write(line.slice(i, i + wire.chunkBytes));
          await new Promise((r) => setTimeout(r, wire.intervalMs));
        }
        return true;
      case 'http-status':
        return false;
    }
  };
}
