import { legacySseHost } from '../transports/legacy-sse.js';
import { streamableHttpHost } from '../transports/streamable-http.js';
import type { Mock, MockHost } from './mock.js';

/** Which host serves a mock in this process, by transport. stdio mocks run as child processes instead. */
export function hostFor(mock: Mock): MockHost {
  switch (mock.transport) {
    case 'http':
      return streamableHttpHost(mock);
    case 'sse':
      return legacySseHost(mock);
    case 'stdio':
      throw new Error(`mock ${mock.name} uses stdio: it runs as a child process, not in this one`);
  }
}
