import { z } from 'zod';
import { callModule } from './call.js';
import { handshakeModule } from './handshake.js';
import { scenarioModule } from './scenario.js';
import { toolsModule } from './tools.js';
import type { ProbeModule } from './types.js';

/** Every probe module kind: a new module is one file plus one line here. */
export const PROBE_MODULES = [handshakeModule, toolsModule, callModule, scenarioModule] as const;

export const MODULE_KINDS = PROBE_MODULES.map((m) => m.kind);

/** Module names a target may use without defining them: `{kind: NAME}` with its defaults. */
export const BUILTIN_MODULES = ['handshake', 'tools'];

export const ModuleSpecSchema = z.discriminatedUnion(
  'kind',
  [handshakeModule.schema, toolsModule.schema, callModule.schema, scenarioModule.schema],
  { error: () => `expected kind to be one of ${MODULE_KINDS.map((k) => `"${k}"`).join(', ')}` },
);
export type ModuleSpec = z.output<typeof ModuleSpecSchema>;

export function moduleOf(kind: string): ProbeModule {
  const m = PROBE_MODULES.find((x) => x.kind === kind);
  if (!m) throw new Error(`no probe module of kind ${kind}`);
  return m as unknown as ProbeModule;
}

/** The spec a module name stands for: a defined module, else a built-in with its defaults. */
export function moduleSpec(
  name: string,
  defined: Readonly<Record<string, ModuleSpec>>,
): ModuleSpec | undefined {
  if (Object.hasOwn(defined, name)) return defined[name];
  if (BUILTIN_MODULES.includes(name)) return ModuleSpecSchema.parse({ kind: name });
  return undefined;
}
