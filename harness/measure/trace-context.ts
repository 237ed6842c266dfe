import {
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  ROOT_CONTEXT,
  type Span,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { z } from 'zod';

/**
 * W3C trace context carried in MCP's `params._meta` (`traceparent`, `tracestate`),
 * as the MCP semantic conventions propagate it. Pure functions: no tracer needed,
 * so mocks in other processes can use them too.
 */
const propagator = new W3CTraceContextPropagator();

export const TraceParentSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  sampled: z.boolean(),
  traceState: z.string().optional(),
});
export type TraceParent = z.infer<typeof TraceParentSchema>;

type Meta = Record<string, unknown>;
type WithMeta<P> = P & { _meta: Meta };

function isSpan(from: Span | Context): from is Span {
  return typeof (from as Span).spanContext === 'function';
}

function asObject(v: unknown): Meta | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Meta) : undefined;
}

/**
 * A copy of `params` whose `_meta` carries `traceparent` (and `tracestate` when the
 * span has one) for `from`; other `_meta` keys (e.g. progressToken) are kept.
 * The input is never mutated. An invalid/non-recording context injects nothing.
 */
export function injectTraceparent<P extends object>(
  params: P | undefined,
  from: Span | Context,
): WithMeta<P> {
  const ctx = isSpan(from) ? trace.setSpan(ROOT_CONTEXT, from) : from;
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  const meta: Meta = { ...asObject((params as { _meta?: unknown } | undefined)?._meta) };
  if (carrier.traceparent) {
    meta.traceparent = carrier.traceparent;
    if (carrier.tracestate) meta.tracestate = carrier.tracestate;
    else delete meta.tracestate;
  }
  return { ...(params as P), _meta: meta };
}

/** The remote parent context found in `_meta`, or ROOT_CONTEXT when there is none (or it is malformed). */
export function contextFromMeta(meta: unknown): Context {
  const carrier = asObject(meta);
  if (!carrier || typeof carrier.traceparent !== 'string') return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
}

/** Parse `_meta.traceparent` (+ `tracestate`); undefined when absent or invalid. */
export function extractTraceparent(meta: unknown): TraceParent | undefined {
  const sc = trace.getSpanContext(contextFromMeta(meta));
  if (!sc || !isSpanContextValid(sc)) return undefined;
  const traceState = sc.traceState?.serialize();
  return {
    traceId: sc.traceId,
    spanId: sc.spanId,
    sampled: (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
    ...(traceState && { traceState }),
  };
}
