import type { ToolHandler } from '../../harness/schema/fleet.js';
import { sleep } from '../server/effects.js';

/** Fixture tools that notify while they run: three info logs, or progress 0/50/100 of 100, ~50 ms apart. */

export const loggingTool: ToolHandler = async (_args, { mcp, signal }) => {
  const lines = ['Tool execution started', 'Tool processing data', 'Tool execution completed'];
  for (const [i, line] of lines.entries()) {
    if (i > 0) await sleep(50, signal);
    await mcp.mcpReq.log('info', line);
  }
  return { content: [{ type: 'text', text: 'Tool with logging executed successfully' }] };
};

export const progressTool: ToolHandler = async (_args, { mcp, signal }) => {
  const token = mcp.mcpReq._meta?.progressToken;
  for (const [i, progress] of [0, 50, 100].entries()) {
    if (i > 0) await sleep(50, signal);
    if (token !== undefined)
      await mcp.mcpReq.notify({
        method: 'notifications/progress',
        params: { progressToken: token, progress, total: 100 },
      });
  }
  return { content: [{ type: 'text', text: 'Tool with progress executed successfully' }] };
};
