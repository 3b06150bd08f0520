/**
 * Stable error codes and process exit codes. Codes are part of the public contract:
 * tests, `--json` output and CI scripts match on them, so never rename one.
 */

/** Process exit codes; documented in `sop --help` and the README. */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  INVALID_SOP: 3,
  RUN_STALLED: 4,
  ROUND_LIMIT: 5,
  BUDGET_EXHAUSTED: 6,
  GATE_STOPPED: 7,
  AWAITING_APPROVAL: 8,
  ACTION_FAILED: 9,
  PROVIDER_FAILED: 10,
  CONFIG_INVALID: 11,
  LOCK_DRIFT: 12,
  RUN_LOCKED: 13,
  STORAGE_FAILED: 14,
  JOURNAL_DAMAGED: 15,
  TESTS_FAILED: 16,
  EVAL_BELOW_THRESHOLD: 17,
  QUEUE_FAILED: 18,
  JOURNAL_NEWER: 19,
  INTERRUPTED: 130,
} as const;

/** One line per exit code, for `sop --help` and the README. */
export const EXIT_CODE_TABLE: ReadonlyArray<readonly [number, string]> = [
  [EXIT.OK, 'success (SOP valid; run completed)'],
  [EXIT.INTERNAL, 'internal error (a bug in sop: please report it, rerun with --debug)'],
  [EXIT.USAGE, 'usage error (unknown flag, missing argument, unreadable file, invalid script for --model script:FILE, invalid sop resume --edit file, invalid sop test file, invalid sop eval dataset)'],
  [EXIT.INVALID_SOP, 'invalid SOP (YAML, schema or semantic errors)'],
  [EXIT.RUN_STALLED, 'run stalled: no role had work left before the stop condition was met'],
  [EXIT.ROUND_LIMIT, 'run reached its round limit (n_round) before the stop condition'],
  [EXIT.BUDGET_EXHAUSTED, 'run stopped: budget (investment or token limit) spent'],
  [EXIT.GATE_STOPPED, 'run stopped by a quality gate'],
  [EXIT.AWAITING_APPROVAL, 'run paused: a human gate awaits approval'],
  [EXIT.ACTION_FAILED, 'run failed: an action failed (command error, invalid output after re-asks, template error, failed precondition)'],
  [EXIT.PROVIDER_FAILED, 'run failed: the model provider failed (auth, unknown model, unreachable, replay miss, strict script miss)'],
  [EXIT.CONFIG_INVALID, 'invalid configuration (sop.config.*, .soprc, user config, ${env:NAME} unset)'],
  [EXIT.LOCK_DRIFT, 'pinned SOP refused (--frozen): sop.lock missing or invalid, or the SOP, a file it references or a model drifted'],
  [EXIT.RUN_LOCKED, 'run refused: another sop process holds the run folder (a resume or the original run) or the run\'s workspace (another run writing into it)'],
  [EXIT.STORAGE_FAILED, 'storage error: no space left, read-only, permission denied or a file size limit (ulimit -f) on a named path; the run stays resumable'],
  [EXIT.JOURNAL_DAMAGED, 'run refused: its journal.jsonl is damaged (a bad line before the last, a seq gap or repeat, a record without the fields it needs)'],
  [EXIT.TESTS_FAILED, 'sop test: a test case failed (skipped cases do not fail it)'],
  [EXIT.EVAL_BELOW_THRESHOLD, 'sop eval: a model\'s pass rate is below --threshold'],
  [EXIT.QUEUE_FAILED, 'queue (--queue, sop worker): Redis unreachable, or a queued job refused (malformed, oversized, unknown run, secret inputs sealed with another SOP_QUEUE_KEY)'],
  [EXIT.JOURNAL_NEWER, 'run refused: its journal.jsonl was written by a newer sop (resume it with that version, or upgrade)'],
  [EXIT.INTERRUPTED, 'run interrupted (SIGINT/SIGTERM); state saved'],
];

/** Every stable error/warning code, with the exit code it maps to when it is fatal. */
export const CODES = {
  // CLI and files
  USAGE: EXIT.USAGE,
  FILE_NOT_FOUND: EXIT.USAGE,
  FILE_UNREADABLE: EXIT.USAGE,
  // An output file (`--record`, `--junit`, `--out`, `--events`, `sop.lock`) that cannot be made: a folder in its place, a place that takes no files. Storage causes are STORAGE_* (14).
  FILE_UNWRITABLE: EXIT.USAGE,
  // An SOP file larger than the bound (docs/design.md, "Size limits").
  FILE_TOO_LARGE: EXIT.USAGE,
  // YAML layer
  YAML_EMPTY: EXIT.INVALID_SOP,
  YAML_SYNTAX: EXIT.INVALID_SOP,
  YAML_NOT_MAPPING: EXIT.INVALID_SOP,
  YAML_DUPLICATE_KEY: EXIT.INVALID_SOP,
  YAML_ALIAS_LIMIT: EXIT.INVALID_SOP,
  YAML_MULTIPLE_DOCUMENTS: EXIT.INVALID_SOP,
  // More values or double-quoted text than the bounds allow, found before parsing.
  YAML_TOO_LARGE: EXIT.INVALID_SOP,
  // A line of a JSONL dataset (`sop eval`) that is not strict JSON.
  JSON_SYNTAX: EXIT.INVALID_SOP,
  // Envelope
  API_VERSION_UNSUPPORTED: EXIT.INVALID_SOP,
  REQUIRES_UNSATISFIED: EXIT.INVALID_SOP,
  // JSON Schema layer
  SCHEMA_UNKNOWN_FIELD: EXIT.INVALID_SOP,
  SCHEMA_MISSING_FIELD: EXIT.INVALID_SOP,
  SCHEMA_TYPE: EXIT.INVALID_SOP,
  SCHEMA_ENUM: EXIT.INVALID_SOP,
  SCHEMA_PATTERN: EXIT.INVALID_SOP,
  SCHEMA_VIOLATION: EXIT.INVALID_SOP,
  // References to other files
  FILE_REF_ESCAPE: EXIT.INVALID_SOP,
  FILE_REF_NOT_FOUND: EXIT.INVALID_SOP,
  FILE_REF_INVALID: EXIT.INVALID_SOP,
  FILE_REF_TOO_LARGE: EXIT.INVALID_SOP,
  // Semantic rules
  MESSAGE_TYPE_UNDECLARED: EXIT.INVALID_SOP,
  DUPLICATE_ID: EXIT.INVALID_SOP,
  PAYLOAD_SCHEMA_INVALID: EXIT.INVALID_SOP,
  ROLE_UNREACHABLE: EXIT.OK,
  START_MISSING: EXIT.INVALID_SOP,
  MESSAGE_UNWATCHED: EXIT.OK,
  // A warning: an action's `when.type` names a type that never reaches its role (not watched, never addressed to it).
  WHEN_TYPE_UNWATCHED: EXIT.OK,
  // A warning: a message type watched, awaited by `when.type` or named by `stop_when` that nothing publishes.
  MESSAGE_UNPUBLISHED: EXIT.OK,
  // A warning: a message type declared under `messages:` that nothing publishes, watches, waits for or stops on.
  MESSAGE_TYPE_UNUSED: EXIT.OK,
  // A warning: an artifact with `foreach` whose path reads no `item`/`index`: every item overwrites the same file.
  ARTIFACT_PATH_CONSTANT: EXIT.OK,
  // A warning: a test file's expectation naming a role, action, message type or gate the SOP does not have: it holds or fails whatever the run does.
  EXPECT_UNMATCHABLE: EXIT.OK,
  // A warning: a test file's scripted answer naming a role, action or gate the SOP does not have (it serves no call), or an output or edit its schema refuses.
  ANSWER_MISFIT: EXIT.OK,
  // A warning: a message type's `schema` that no `format: json` output publishes, so nothing is checked against it.
  SCHEMA_UNUSED: EXIT.OK,
  // A warning: a payload schema a model answers that accepts undeclared fields and leaves some of its own optional: a misspelt field passes.
  PAYLOAD_SCHEMA_OPEN: EXIT.OK,
  // A warning: a declared tool's `parameters` accept arguments they do not declare and leave some of their own optional: a misspelt argument passes.
  TOOL_PARAMETERS_OPEN: EXIT.OK,
  ADDRESS_UNKNOWN: EXIT.INVALID_SOP,
  // `gates: [{ use: name }]` naming no set under the top-level `gates`, or a `use` beside other fields.
  GATE_SET_UNKNOWN: EXIT.INVALID_SOP,
  // A gate set that uses itself, directly or through other sets (`a` uses `b`, `b` uses `a`).
  GATE_SET_CYCLE: EXIT.INVALID_SOP,
  // A warning: a loop of roles (a role watching a type it can cause again) with no bound.
  LOOP_UNBOUNDED: EXIT.OK,
  // A warning: the SOP uses a field added after the first runner (`spec/format-additions.ts`) and `metadata.requires` admits runners that do not read it.
  FORMAT_NEWER_THAN_REQUIRES: EXIT.OK,
  // A warning: a `format: json` output's message type has no schema, and templates or conditions read fields of its payload.
  PAYLOAD_UNCHECKED: EXIT.OK,
  // A warning: a template reads `files[name]`, a file named at run time, in an action whose `reads` are literal paths: not checked against them.
  FILE_READ_UNCHECKED: EXIT.OK,
  // A warning: a Liquid tag (`{% if %}`) in a template of an SOP whose templates are Handlebars, which prints it as text.
  TEMPLATE_LIQUID_IN_HANDLEBARS: EXIT.OK,
  TEMPLATE_SINGLE_BRACE: EXIT.OK,
  // A warning: a condition compares a payload field with a text its schema's `enum` does not list (`payload.priority == 'critical'`): never true (`!=`: always).
  EXPRESSION_VALUE_NOT_IN_ENUM: EXIT.OK,
  TEMPLATE_SYNTAX: EXIT.INVALID_SOP,
  TEMPLATE_VARIABLE_UNKNOWN: EXIT.INVALID_SOP,
  // A template reads `constructor`, `__proto__` or another JavaScript internal instead of data.
  TEMPLATE_FIELD_FORBIDDEN: EXIT.INVALID_SOP,
  EXPRESSION_SYNTAX: EXIT.INVALID_SOP,
  // An expression that parses but can only give the wrong kind of value for its place (`foreach` no list, a condition no boolean, a command or `reads` looked up in `vars` that finds no list of strings): the run would fail at it.
  EXPRESSION_TYPE: EXIT.INVALID_SOP,
  EXPRESSION_VARIABLE_UNKNOWN: EXIT.INVALID_SOP,
  ARTIFACT_PATH_ESCAPE: EXIT.INVALID_SOP,
  INPUT_UNDECLARED: EXIT.INVALID_SOP,
  TOOL_UNKNOWN: EXIT.INVALID_SOP,
  // A tool offered without what it needs (`shell` without an allow-list, `http.get` without hosts).
  TOOL_INVALID: EXIT.INVALID_SOP,
  // A warning: an allow-list entry or a declared tool that lets the model run anything.
  TOOL_UNSAFE: EXIT.OK,
  // A warning: a declared tool's `timeout` above `settings.tools.timeout`, which caps it.
  TOOL_TIMEOUT_CAPPED: EXIT.OK,
  // A warning: lines at the end of a block scalar (`prompt: |`) that read as fields of the mapping holding it (`output:` indented as the prompt's text).
  FIELD_IN_TEXT: EXIT.OK,
  // A warning: an action's prompt is empty (some providers refuse an empty user message).
  PROMPT_EMPTY: EXIT.OK,
  // A warning: `${env:NAME}` outside `mcp_servers`, where nothing expands it.
  ENV_NOT_EXPANDED: EXIT.OK,
  // A warning: a stdio MCP server's `cwd` is no folder yet (the run cannot start it unless the folder is made first, e.g. as its workspace).
  MCP_CWD_MISSING: EXIT.OK,
  // An MCP server could not be started, reached or listed.
  MCP_SERVER_FAILED: EXIT.ACTION_FAILED,
  // Run time
  INPUT_MISSING: EXIT.USAGE,
  INPUT_INVALID: EXIT.USAGE,
  TEMPLATE_RENDER: EXIT.ACTION_FAILED,
  EXPRESSION_EVAL: EXIT.ACTION_FAILED,
  OUTPUT_INVALID: EXIT.ACTION_FAILED,
  // A dynamic `to` (`{{ payload.assignee }}`) rendered to something that names no role.
  ADDRESS_UNRESOLVED: EXIT.ACTION_FAILED,
  COMMAND_FAILED: EXIT.ACTION_FAILED,
  WORKSPACE_ESCAPE: EXIT.ACTION_FAILED,
  // A workspace file an action `reads` is larger than the bound.
  READS_TOO_LARGE: EXIT.ACTION_FAILED,
  // A `reads` entry with `required: true` names a file the workspace does not have.
  READ_MISSING: EXIT.ACTION_FAILED,
  // An action's `precondition` (its `assert` or `command`) failed before its model call.
  PRECONDITION_FAILED: EXIT.ACTION_FAILED,
  // A file input (`type: file`) names a file that cannot be read, or one over the size bound.
  INPUT_FILE_INVALID: EXIT.USAGE,
  FEATURE_UNSUPPORTED: EXIT.INVALID_SOP,
  PROVIDER_UNKNOWN: EXIT.USAGE,
  PROVIDER_FAILED: EXIT.PROVIDER_FAILED,
  PROVIDER_AUTH: EXIT.PROVIDER_FAILED,
  PROVIDER_NOT_FOUND: EXIT.PROVIDER_FAILED,
  PROVIDER_BAD_REQUEST: EXIT.PROVIDER_FAILED,
  PROVIDER_RATE_LIMITED: EXIT.PROVIDER_FAILED,
  PROVIDER_UNAVAILABLE: EXIT.PROVIDER_FAILED,
  PROVIDER_TIMEOUT: EXIT.PROVIDER_FAILED,
  // A reply larger than the bound (docs/design.md, "Size limits"): the rest is not read.
  PROVIDER_REPLY_TOO_LARGE: EXIT.PROVIDER_FAILED,
  REPLAY_MISS: EXIT.PROVIDER_FAILED,
  // Scripted model (`--model script:FILE`, docs/scripted-model.md): a script file that is not a
  // valid script (located: file:line:col), and a call a `strict: true` script has no answer for.
  SCRIPT_INVALID: EXIT.USAGE,
  SCRIPT_MISS: EXIT.PROVIDER_FAILED,
  // `sop test` (docs/testing.md): a test file that is not valid (located: file:line:col), and a
  // test run in which some case failed.
  TEST_INVALID: EXIT.USAGE,
  TESTS_FAILED: EXIT.TESTS_FAILED,
  // `sop eval` (docs/eval.md): a dataset that is not a valid one (located: file:line:col, a CSV's
  // row and column), and a model whose pass rate is below `--threshold`.
  DATASET_INVALID: EXIT.USAGE,
  EVAL_BELOW_THRESHOLD: EXIT.EVAL_BELOW_THRESHOLD,
  CONFIG_INVALID: EXIT.CONFIG_INVALID,
  CONFIG_ENV_MISSING: EXIT.CONFIG_INVALID,
  RUN_NOT_FOUND: EXIT.USAGE,
  // How a run that did not complete ended, when no error caused it (`--json`'s `error.code`).
  RUN_STALLED: EXIT.RUN_STALLED,
  RUN_ROUND_LIMIT: EXIT.ROUND_LIMIT,
  RUN_BUDGET_EXHAUSTED: EXIT.BUDGET_EXHAUSTED,
  RUN_GATE_STOPPED: EXIT.GATE_STOPPED,
  RUN_AWAITING_APPROVAL: EXIT.AWAITING_APPROVAL,
  // The library's `approve` function threw or rejected at a human gate: the gate's request is saved, the run awaits approval.
  APPROVAL_FAILED: EXIT.AWAITING_APPROVAL,
  RUN_INTERRUPTED: EXIT.INTERRUPTED,
  // `sop resume`: no usable checkpoint, or the run already completed; the SOP changed since the run started
  RUN_NOT_RESUMABLE: EXIT.USAGE,
  RESUME_SOP_CHANGED: EXIT.USAGE,
  // `sop resume --edit FILE`: the file breaks the awaited output's format or schema; the run still awaits approval.
  EDIT_INVALID: EXIT.USAGE,
  // A run journal that is not what sop wrote: resuming from it would continue from a wrong state.
  RUN_JOURNAL_DAMAGED: EXIT.JOURNAL_DAMAGED,
  RUN_JOURNAL_NEWER: EXIT.JOURNAL_NEWER,
  // Pinned SOPs (`sop lock`, `sop run --frozen`)
  LOCK_MISSING: EXIT.LOCK_DRIFT,
  LOCK_INVALID: EXIT.LOCK_DRIFT,
  LOCK_DRIFT: EXIT.LOCK_DRIFT,
  // A run folder is held by another live process (`sop resume` beside the original, two resumes).
  RUN_LOCKED: EXIT.RUN_LOCKED,
  // A run's workspace is held by another live run (two runs of one SOP at once write the same files).
  WORKSPACE_LOCKED: EXIT.RUN_LOCKED,
  // Writing a file failed for a reason on the user's side: no space, read-only, permission, its folder removed.
  STORAGE_NO_SPACE: EXIT.STORAGE_FAILED,
  STORAGE_READ_ONLY: EXIT.STORAGE_FAILED,
  STORAGE_PERMISSION: EXIT.STORAGE_FAILED,
  STORAGE_FOLDER_GONE: EXIT.STORAGE_FAILED,
  STORAGE_FILE_TOO_LARGE: EXIT.STORAGE_FAILED,
  // The queue (`sop worker`, `--queue URL`, docs/queue.md): Redis cannot be reached; a job that is
  // malformed, oversized or hostile (that job fails, never the worker); a run the queue does not know.
  QUEUE_UNREACHABLE: EXIT.QUEUE_FAILED,
  QUEUE_JOB_INVALID: EXIT.QUEUE_FAILED,
  QUEUE_RUN_NOT_FOUND: EXIT.QUEUE_FAILED,
  // A worker without the submitter's SOP_QUEUE_KEY (or with another) cannot open a run's sealed secret inputs: that run fails.
  QUEUE_KEY_MISMATCH: EXIT.QUEUE_FAILED,
  INTERNAL: EXIT.INTERNAL,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof CODES;
