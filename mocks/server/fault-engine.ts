import { validate } from '../../harness/config/load.js';
import { HarnessError } from '../../harness/errors.js';
import { deriveSeed, Rng } from '../faults/random.js';
import { type FaultSpec, FaultSpecSchema, faultDefinition } from '../faults/registry.js';
import { matchesCall, type Selector } from '../faults/selector.js';
import type { CallInfo, FaultEffect, MockLifecycle } from '../faults/types.js';

interface Installed {
  id: string;
  spec: FaultSpec;
  rng: Rng;
  matched: number;
  applied: number;
  detach?: () => void;
}

export interface AppliedFault {
  id: string;
  effect: FaultEffect;
}

/**
 * The faults installed on one mock, in order. `admit` decides, once per
 * incoming message, which faults fire; counters and random streams live here
 * so the decision is the same whichever transport carried the call.
 */
export class FaultEngine {
  private installed: Installed[] = [];
  private counter = 0;

  constructor(
    private readonly seed: number,
    private readonly lifecycle: MockLifecycle,
  ) {}

  list(): Array<FaultSpec & { id: string; applied: number }> {
    return this.installed.map((f) => ({ ...f.spec, id: f.id, applied: f.applied }));
  }

  /** Validate and install a fault; returns its id. Invalid input is INVALID_CONFIG with every problem. */
  add(input: unknown): string {
    const spec = validate(FaultSpecSchema, input, 'fault');
    const id = spec.id ?? `${spec.type}-${++this.counter}`;
    if (this.installed.some((f) => f.id === id)) {
      throw new HarnessError(
        'INVALID_CONFIG',
        `fault id '${id}' is already installed on ${this.lifecycle.name}`,
      );
    }
    const def = faultDefinition(spec.type);
    const rng = new Rng(deriveSeed(this.seed, `${this.lifecycle.name}/${id}`));
    const entry: Installed = { id, spec, rng, matched: 0, applied: 0 };
    // biome-ignore lint/suspicious/noExplicitAny: params are validated by the fault's own schema above
    if (def?.attach) entry.detach = def.attach(spec as any, this.lifecycle, rng);
    this.installed.push(entry);
    return id;
  }

  remove(id: string): boolean {
    const i = this.installed.findIndex((f) => f.id === id);
    if (i < 0) return false;
    this.installed[i]?.detach?.();
    this.installed.splice(i, 1);
    return true;
  }

  reset(): void {
    for (const f of this.installed) f.detach?.();
    this.installed = [];
  }

  replace(inputs: unknown[]): void {
    this.reset();
    for (const f of inputs) this.add(f);
  }

  /** Which faults fire for this call, in installation order. */
  admit(call: CallInfo): AppliedFault[] {
    const out: AppliedFault[] = [];
    for (const f of this.installed) {
      const def = faultDefinition(f.spec.type);
      if (!def?.onCall) continue;
      const sel = f.spec as Selector;
      if (!matchesCall(sel, call.method, call.tool)) continue;
      f.matched++;
      if (f.matched <= sel.after) continue;
      if (sel.for !== undefined && f.applied >= sel.for) continue;
      if (!f.rng.chance(sel.probability)) continue;
      f.applied++;
      // biome-ignore lint/suspicious/noExplicitAny: see add()
      out.push({ id: f.id, effect: def.onCall(f.spec as any, f.rng, call) });
    }
    return out;
  }
}
