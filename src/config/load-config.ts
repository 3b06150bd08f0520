import { checkConfig } from './check-config.js';
import { defaultUserConfigDir, findProjectConfig, readUserConfig } from './find-files.js';
import { defaultsLayer, envLayer, fileLayer, flagsLayer, mergeLayers, type Layer } from './layers.js';
import { ResolvedConfig } from './resolved-config.js';
import type { LoadConfigOptions, SopConfigFile } from './types.js';
import { validateConfigFile } from './validate-config.js';

/**
 * Reads the configuration: built-in defaults < user file (`config.yaml` in `userConfigDir`) <
 * project file (first found from `cwd` upward) < environment < flags. Each file is validated
 * against `schemas/config.v1.schema.json`: problems are CONFIG_INVALID with file:line:col.
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const userDir = options.userConfigDir ?? defaultUserConfigDir(options.env);
  const layers: Layer[] = [defaultsLayer()];
  const files: string[] = [];
  const project = await findProjectConfig(options.cwd);
  for (const file of [await readUserConfig(userDir), project]) {
    if (!file || files.includes(file.file)) continue;
    if (file.data !== undefined && file.data !== null) validateConfigFile(file);
    layers.push(fileLayer(file));
    files.push(file.file);
  }
  layers.push(envLayer(options.env, options.envFile), flagsLayer(options.flags ?? {}));
  const { data, origins } = mergeLayers(layers);
  const config = new ResolvedConfig(data as SopConfigFile, origins, options.env, files, project?.file);
  checkConfig(config);
  return config;
}
