import type { CommandName } from '../runtime/command-names.js';
import Config from './commands/config.js';
import Doctor from './commands/doctor.js';
import Eval from './commands/eval.js';
import Graph from './commands/graph.js';
import Init from './commands/init.js';
import Lock from './commands/lock.js';
import Migrate from './commands/migrate.js';
import Prompts from './commands/prompts.js';
import Report from './commands/report.js';
import Resume from './commands/resume.js';
import Run from './commands/run.js';
import Runs from './commands/runs.js';
import Schema from './commands/schema.js';
import Test from './commands/test.js';
import Validate from './commands/validate.js';
import View from './commands/view.js';
import Worker from './commands/worker.js';

/**
 * Every `sop` command, by id (oclif "explicit" strategy, see package.json). Command modules import
 * only oclif and small helpers at the top; the library is loaded inside `run()`, so startup stays fast.
 * Its words are `COMMAND_NAMES` (src/runtime/command-names.ts), which hints are typed by: `satisfies`
 * refuses a command missing from there and a word without a command.
 */
export const COMMANDS = {
  validate: Validate,
  schema: Schema,
  graph: Graph,
  init: Init,
  run: Run,
  prompts: Prompts,
  test: Test,
  resume: Resume,
  eval: Eval,
  runs: Runs,
  report: Report,
  view: View,
  config: Config,
  doctor: Doctor,
  lock: Lock,
  migrate: Migrate,
  worker: Worker,
} satisfies Record<CommandName, unknown>;
