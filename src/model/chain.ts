import type { CniConfig, PluginConf } from './cni-config.js';

/** The plugin chain of a NAD: types, IPAM, and who declares which capability. */
export interface Chain {
  plugins: PluginConf[];
  main?: PluginConf;
  /** The plugin that carries the IPAM section (normally the main one). */
  ipamPlugin?: PluginConf;
  ipamType?: string;
  hasCapability(name: string): PluginConf | undefined;
  has(type: string): PluginConf | undefined;
}

export function chainOf(nad: { config?: CniConfig }): Chain | undefined {
  const cfg = nad.config;
  if (!cfg?.ok || cfg.plugins.length === 0) return undefined;
  const ipamPlugin = cfg.plugins.find((p) => p.ipam !== undefined);
  return {
    plugins: cfg.plugins,
    main: cfg.main,
    ipamPlugin,
    ipamType: ipamPlugin?.ipamType,
    hasCapability: (name) => cfg.plugins.find((p) => p.capabilities[name] === true),
    has: (type) => cfg.plugins.find((p) => p.type === type),
  };
}
