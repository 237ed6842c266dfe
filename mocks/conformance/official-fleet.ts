import { defineFleet, type ToolSpec } from '../../harness/schema/fleet.js';
import {
  testElicitation,
  testElicitationDefaults,
  testElicitationEnums,
  testSampling,
} from './client-asks.js';
import {
  capabilitiesRound,
  elicitationRound,
  listRootsRound,
  multipleInputsRound,
  multiRound,
  promptRound,
  requestStateRound,
  samplingRound,
  tamperedStateRound,
} from './mrtr.js';
import { loggingTool, progressTool } from './notifying.js';

/**
 * The official conformance suite's fixture contract (the tool, prompt and
 * resource names and behaviours its server scenarios use), served by one of
 * the project's own mocks in both eras. See docs/conformance.md.
 */

const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
const WAV = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';
const image = { type: 'image' as const, data: PNG, mimeType: 'image/png' };
const noArgs = { type: 'object', properties: {} };

const fixed = (name: string, description: string, content: unknown[], isError = false): ToolSpec =>
  ({ name, description, inputSchema: noArgs, result: { content, ...(isError ? { isError } : {}) } }) as never;
const handled = (name: string, description: string, handler: ToolSpec['handler'], inputSchema = noArgs) =>
  ({ name, description, inputSchema, handler }) as never as ToolSpec;
const stringArg = (arg: string, description: string) => ({
  type: 'object',
  properties: { [arg]: { type: 'string', description } },
  required: [arg],
});

export const OFFICIAL_CONFORMANCE_SERVER = 'conformance';

export default defineFleet({
  servers: [
    {
      name: OFFICIAL_CONFORMANCE_SERVER,
      transport: 'http',
      capabilities: { completions: true, subscribe: true, logging: true },
      tools: [
        fixed('test_simple_text', 'Returns simple text', [
          { type: 'text', text: 'This is a simple text response for testing.' },
        ]),
        fixed('test_image_content', 'Returns an image', [image]),
        fixed('test_audio_content', 'Returns audio', [{ type: 'audio', data: WAV, mimeType: 'audio/wav' }]),
        fixed('test_embedded_resource', 'Returns an embedded resource', [
          {
            type: 'resource',
            resource: {
              uri: 'test://embedded-resource',
              mimeType: 'text/plain',
              text: 'This is an embedded resource content.',
            },
          },
        ]),
        fixed('test_multiple_content_types', 'Returns text, image and a resource', [
          { type: 'text', text: 'Multiple content types test:' },
          image,
          {
            type: 'resource',
            resource: {
              uri: 'test://mixed-content-resource',
              mimeType: 'application/json',
              text: '{"test":"data","value":123}',
            },
          },
        ]),
        fixed(
          'test_error_handling',
          'Always fails',
          [{ type: 'text', text: 'This tool intentionally returns an error for testing' }],
          true,
        ),
        handled('test_tool_with_logging', 'Logs three messages while it runs', loggingTool),
        handled('test_tool_with_progress', 'Reports progress 0, 50, 100 of 100', progressTool),
        handled(
          'test_sampling',
          'Asks the client to sample',
          testSampling,
          stringArg('prompt', 'The prompt'),
        ),
        handled('test_elicitation', 'Asks the user', testElicitation, stringArg('message', 'The message')),
        handled('test_elicitation_sep1034_defaults', 'Elicitation with defaults', testElicitationDefaults),
        handled('test_elicitation_sep1330_enums', 'Elicitation with every enum shape', testElicitationEnums),
        handled('test_input_required_result_elicitation', 'MRTR: elicitation', elicitationRound),
        handled('test_input_required_result_sampling', 'MRTR: sampling', samplingRound),
        handled('test_input_required_result_list_roots', 'MRTR: roots', listRootsRound),
        handled('test_input_required_result_request_state', 'MRTR: request state', requestStateRound),
        handled('test_input_required_result_multiple_inputs', 'MRTR: several inputs', multipleInputsRound),
        handled('test_input_required_result_multi_round', 'MRTR: two rounds', multiRound),
        handled('test_input_required_result_tampered_state', 'MRTR: signed state', tamperedStateRound),
        handled(
          'test_input_required_result_capabilities',
          'MRTR: declared capabilities only',
          capabilitiesRound,
        ),
        // Diagnostic tools of the stateless scenario: a capability the client must declare, an
        // input_required stream, and logs sent only at the level a request asks for.
        {
          name: 'test_missing_capability',
          description: 'Needs sampling',
          inputSchema: noArgs,
          ask: 'sampling',
        } as never,
        {
          name: 'test_streaming_elicitation',
          description: 'Asks the user',
          inputSchema: noArgs,
          ask: 'elicitation',
        } as never,
        handled('test_logging_tool', 'Logs while it runs', loggingTool),
        handled('test_trigger_tool_change', 'Announces a tool list change', async (_a, ctx) => {
          await ctx.listChanged('tools');
          return { content: [{ type: 'text', text: 'tools list changed' }] };
        }),
        handled('test_trigger_prompt_change', 'Announces a prompt list change', async (_a, ctx) => {
          await ctx.listChanged('prompts');
          return { content: [{ type: 'text', text: 'prompts list changed' }] };
        }),
      ],
      resources: [
        {
          uri: 'test://static-text',
          name: 'static-text',
          description: 'A static text resource',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
        {
          uri: 'test://static-binary',
          name: 'static-binary',
          description: 'A static binary resource',
          mimeType: 'image/png',
          blob: PNG,
        },
        {
          uri: 'test://watched-resource',
          name: 'watched-resource',
          description: 'A resource to subscribe to',
          mimeType: 'text/plain',
          text: 'Watched resource content',
        },
      ],
      resourceTemplates: [
        {
          uriTemplate: 'test://template/{id}/data',
          name: 'template',
          description: 'A resource template',
          mimeType: 'application/json',
          text: '{"id":"{id}","templateTest":true,"data":"Data for ID: {id}"}',
        },
      ],
      prompts: [
        {
          name: 'test_simple_prompt',
          description: 'A simple prompt',
          messages: [{ role: 'user', text: 'This is a simple prompt for testing.' }],
        },
        {
          name: 'test_prompt_with_arguments',
          description: 'A prompt with arguments',
          arguments: [
            {
              name: 'arg1',
              description: 'First test argument',
              required: true,
              completions: ['paris', 'park', 'party'],
            },
            { name: 'arg2', description: 'Second test argument', required: true },
          ],
          messages: [
            { role: 'user', text: "Prompt with arguments: arg1='{{args.arg1}}', arg2='{{args.arg2}}'" },
          ],
        },
        {
          name: 'test_prompt_with_embedded_resource',
          description: 'A prompt with an embedded resource',
          arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
          messages: [
            {
              role: 'user',
              content: {
                type: 'resource',
                resource: {
                  uri: '{{args.resourceUri}}',
                  mimeType: 'text/plain',
                  text: 'Embedded resource content for testing.',
                },
              },
            },
            { role: 'user', text: 'Please process the embedded resource above.' },
          ],
        },
        {
          name: 'test_input_required_result_prompt',
          description: 'A prompt that asks the user for context (input_required on 2026-07-28)',
          messages: [{ role: 'user', text: 'answered by the handler' }],
          handler: promptRound,
        },
        {
          name: 'test_prompt_with_image',
          description: 'A prompt with an image',
          messages: [
            { role: 'user', content: image },
            { role: 'user', text: 'Please analyze the image above.' },
          ],
        },
      ],
    },
  ],
});
