// The edge room's only public door (marathon-lb drop-in). src/cmd imports the room through here.
// Pure: apps → services → haproxy.cfg (generate), templates, flags. io: the daemon and its parts.
export { DEFAULTS, FLAGS, parseEdgeConfig, type EdgeConfig, type FlagValues } from './config.js';
export { EdgeError, type EdgeErrorCode } from './errors.js';
export { generate, hostsToResolve, optionsFromConfig, type GenerateOptions, type Generated, type GenerateResult } from './generate.js';
export { buildServices, EXCLUDED_TASK_STATES, type BuildOptions, type BuildResult, type Skipped } from './apps.js';
export { render, checkHead, type RenderOptions, type Rendered } from './render.js';
export type { Service, Backend } from './service.js';
export {
  loadTemplates, globalDefaultOptions, defaultHead, DEFAULTS as TEMPLATE_DEFAULTS, MODERN as MODERN_TEMPLATES,
  GLOBAL_TEMPLATES, PORT_TEMPLATES, REMOVED_DIRECTIVES, type Templates, type TemplateSources, type TemplateName,
} from './templates.js';
export { serveHead } from './serve-head.js';
export { networkingMode, taskIpAndPorts, ServicePortAssigner, type Resolver } from './networking.js';
export { serverId, serverName, backendName } from './names.js';
export { pyFormat } from './pyformat.js';
export { EdgeDaemon, type SyncReport, type DaemonDeps } from './io/daemon.js';
export { startStatsServer } from './io/http.js';
export { MarathonClient, RELEVANT_EVENTS } from './io/marathon.js';
export { HostResolver } from './io/resolve.js';
export { readTemplateFiles } from './io/templates-dir.js';
export { checkConfig, HaproxyMaster, parseShowProc } from './io/haproxy.js';
export {
  prepareDeploy, scaleNewAppInstances, parseHaproxyStats, appListeners, svnamesFromTasks, taskIdsIn, preKillHookArgv,
  type ZddArgs, type StatsRow,
} from './zdd.js';
