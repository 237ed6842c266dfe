export {
  type ConnectEndpointOptions,
  type Connection,
  connectEndpoint,
  DEFAULT_CLIENT_INFO,
  describeEndpoint,
  describeError,
  eraOf,
  versionNegotiation,
} from './connect.js';
export {
  freePort,
  type Launched,
  type LaunchOptions,
  launch,
  type Readiness,
  writeConfigTemplate,
} from './launch.js';
export {
  type BuildToolMapOptions,
  buildToolMap,
  mergeToolMaps,
  type NamingProblem,
  type NamingProblemKind,
  ORIGIN_TAG_RE,
  originTag,
  originTagsIn,
  parsePrefixed,
  prefixedName,
  splitLogical,
  type ToolMap,
  type ToolMapEntry,
} from './naming.js';
export {
  envRefProblems,
  type Placeholders,
  placeholdersIn,
  renderDeep,
  renderTemplate,
  resolveEnvRefs,
  templateProblems,
} from './placeholders.js';
export {
  describeExit,
  type ExitInfo,
  GroupProcess,
  groupAlive,
  liveGroupCount,
  RingBuffer,
} from './process.js';
export { HarnessStdioTransport, type StdioParams } from './stdio.js';
export {
  type CallOptions,
  type OpenTargetOptions,
  openTarget,
  SUT,
  type Target,
  ToolNotMappedError,
} from './target.js';
