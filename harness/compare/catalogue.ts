import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import type { Target } from '../target/target.js';

/**
 * What a pattern's tool catalogue costs the model's context: every tool the
 * target lists (name, title, description, input and output schemas,
 * annotations) as the JSON a host would put in the prompt, in bytes and in
 * tokens of the o200k_base encoding.
 */
export const CATALOGUE_ENCODING = 'o200k_base';

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200k);
  return encoder.encode(text).length;
}

export function catalogueCost(target: Target): {
  tools: number;
  bytes: number;
  tokens: number;
  encoding: string;
} {
  const tools = [...target.tools.values()].flat().map((t) => ({
    name: t.name,
    ...(t.title ? { title: t.title } : {}),
    ...(t.description ? { description: t.description } : {}),
    inputSchema: t.inputSchema,
    ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
    ...(t.annotations ? { annotations: t.annotations } : {}),
  }));
  const text = JSON.stringify(tools);
  return {
    tools: tools.length,
    bytes: Buffer.byteLength(text, 'utf8'),
    tokens: countTokens(text),
    encoding: CATALOGUE_ENCODING,
  };
}
