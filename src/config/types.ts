import type { LoadedEnvFile } from './env-file.js';

/** The shape of a configuration file (`schemas/config.v1.schema.json`) and of the resolved config. */

type ProviderKind = 'openai' | 'anthropic' | 'ollama';

interface AliasObject {
  model: string;
  temperature?: number;
  max_tokens?: number;
}

interface BreakerSettings {
  failure_threshold?: number;
  /** Seconds. */
  reset_after?: number;
}

interface ProviderSettings {
  kind?: ProviderKind;
  api_key?: string;
  base_url?: string;
  organization?: string;
  host?: string;
  headers?: Record<string, string>;
  timeout?: number;
  max_retries?: number;
  /** Seconds before the first retry. */
  min_delay?: number;
  /** Seconds: cap of any wait before a retry. */
  max_delay?: number;
  max_concurrency?: number;
  breaker?: BreakerSettings;
  stream?: boolean;
  default_max_tokens?: number;
}

interface PriceSettings {
  input: number;
  output: number;
}

/** One configuration file's content, as the schema describes it. Strings may hold `${env:NAME}`. */
export interface SopConfigFile {
  $schema?: string;
  default_model?: string;
  default_provider?: string;
  models?: Record<string, string | AliasObject>;
  providers?: Record<string, ProviderSettings>;
  prices?: Record<string, PriceSettings>;
  cache?: { enabled?: boolean; dir?: string };
}

/** One value of `sop config`: dotted key, display value (secrets as `***`) and where it came from. */
export interface ConfigEntry {
  key: string;
  value: string;
  /** `default`, `/path/sop.config.yaml:4`, `env:OPENAI_API_KEY`, `flag:--model`. */
  source: string;
}

/** Flags of the CLI that override configuration. */
export interface ConfigFlags {
  model?: string;
  provider?: string;
  noCache?: boolean;
  cacheDir?: string;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Where the project search starts (upward from here); relative cache dirs resolve against it. */
  cwd: string;
  env: Environment;
  flags?: ConfigFlags;
  /** Folder of the user file `config.yaml`; default `$XDG_CONFIG_HOME/sop` or `~/.config/sop`. */
  userConfigDir?: string;
  /** The variables of `env` a `.env` set (`loadEnvFile`): their values' source names the file. */
  envFile?: LoadedEnvFile;
}
