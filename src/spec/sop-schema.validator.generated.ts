/* Generated from schemas/sop.v1.schema.json by scripts/build-validator.mjs (`npm run build`). Do not edit. */
// @ts-nocheck: ajv-generated JavaScript; src/spec/schema-validator.ts gives it its type.
/* eslint-disable */
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://sop-runner.dev/schemas/sop.v1.schema.json","title":"SOP","description":"A Standard Operating Procedure for a team of LLM roles, run by `sop run`. Format `sop/v1`.","type":"object","additionalProperties":false,"required":["apiVersion","kind","metadata","roles"],"properties":{"apiVersion":{"description":"Version of the SOP format. This runner supports `sop/v1`.","const":"sop/v1"},"kind":{"description":"Always `SOP`.","const":"SOP"},"metadata":{"$ref":"#/$defs/Metadata"},"inputs":{"description":"Typed inputs given with `sop run FILE IDEA --input name=value`; `--input name=@FILE` (or an IDEA `@FILE`) gives an input the text of FILE, relative to the folder `sop` runs in, its trailing line ends dropped (at most 8 MB of UTF-8 text, else `INPUT_FILE_INVALID`, exit 2), as HTTPie's `field=@file`; `@@` starts a value with a literal `@`. Without this block the SOP has one implicit input, `idea` (a string, the positional argument). An input is required unless it has a `default`; `required: true|false`, as GitHub Actions inputs write it, is accepted with that meaning (and refused where it contradicts the `default`).","type":"object","propertyNames":{"$ref":"#/$defs/Identifier"},"additionalProperties":{"$ref":"#/$defs/Input"}},"vars":{"description":"Static values (any JSON) named once and read everywhere as `vars.NAME`: in templates (`{{ vars.greeting }}`), CEL (`vars.test_command[payload.language]`) and command argv. A lookup table replaces copies of an action or gate per case.","type":"object","propertyNames":{"$ref":"#/$defs/Identifier"},"additionalProperties":true},"settings":{"$ref":"#/$defs/Settings"},"messages":{"description":"The message types that travel on the bus, by name (PascalCase). Roles watch them, actions emit them.","type":"object","propertyNames":{"$ref":"#/$defs/MessageTypeName"},"additionalProperties":{"$ref":"#/$defs/MessageType"}},"start":{"description":"The message(s) published before round 1, usually the user's requirement.","type":"array","minItems":1,"items":{"$ref":"#/$defs/StartMessage"}},"roles":{"description":"The team, by role id (snake_case). Each role watches message types and reacts with its actions.","type":"object","minProperties":1,"propertyNames":{"$ref":"#/$defs/Identifier"},"additionalProperties":{"$ref":"#/$defs/Role"}},"tools":{"description":"Tools declared in this SOP, by name (an identifier). Actions offer them by name beside the built-in tools (`fs.read`, `fs.write`, `fs.list`, `fs.search`, `shell`, `http.get`) and MCP tools (`server.tool`).","type":"object","propertyNames":{"$ref":"#/$defs/Identifier"},"additionalProperties":{"$ref":"#/$defs/ToolDeclaration"}},"mcp_servers":{"description":"MCP servers whose tools actions may offer as `<server>.<tool>` (or `<server>.*`). Started on first use, closed when the run ends.","type":"object","propertyNames":{"$ref":"#/$defs/Identifier","not":{"enum":["fs","shell","http"]}},"additionalProperties":{"$ref":"#/$defs/McpServer"}},"stop_when":{"description":"The run completes successfully as soon as a message matching one of these conditions is published.","oneOf":[{"$ref":"#/$defs/MessageCondition"},{"type":"array","minItems":1,"items":{"$ref":"#/$defs/MessageCondition"}}]},"gates":{"description":"Named gate sets, declared once and used by several actions with `gates: [{ use: name }]` (or by a message type's `gates`).","type":"object","propertyNames":{"$ref":"#/$defs/Identifier"},"additionalProperties":{"type":"array","minItems":1,"items":{"$ref":"#/$defs/Gate"}}}},"$defs":{"Identifier":{"description":"An identifier: lowercase letters, digits and underscores, starting with a letter.","type":"string","pattern":"^[a-z][a-z0-9_]*$"},"MessageTypeName":{"description":"A message type name: PascalCase letters and digits.","type":"string","pattern":"^[A-Z][A-Za-z0-9]*$"},"Recipient":{"description":"A role id, or one template output that renders to a role id at run time (`{{ message.from }}` replies to the sender, `{{ payload.assignee }}` delegates by the output's payload).","type":"string","pattern":"^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$"},"Template":{"description":"Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.","type":"string"},"Expression":{"description":"A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.","type":"string","minLength":1},"FileRef":{"description":"A file next to the SOP, relative to the SOP's folder; it must stay inside that folder tree.","type":"object","additionalProperties":false,"required":["file"],"properties":{"file":{"description":"Path relative to the SOP file's folder.","type":"string","minLength":1}}},"TemplateSource":{"description":"A template given inline, or `{ file: path }` read from a file next to the SOP.","oneOf":[{"$ref":"#/$defs/Template"},{"$ref":"#/$defs/FileRef"}]},"Metadata":{"description":"Who this SOP is and which runners can run it.","type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"description":"Name of the SOP, lowercase with dashes; the default workspace is `workspace/<name>`.","type":"string","pattern":"^[a-z0-9][a-z0-9-_]*$"},"version":{"description":"Version of this SOP file (semver, e.g. `1.2.0`).","type":"string","pattern":"^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$"},"description":{"description":"What the SOP does, in a sentence.","type":"string"},"requires":{"description":"Semver range of `sop` runner versions this file works with, e.g. `>=0.2 <1`; a runner outside it refuses the file (`REQUIRES_UNSATISFIED`) naming the range. `sop/v1` grows by additions, and each addition names the runner that first reads it: a file using one (`vars`, gate sets, a message type's `gates`, `on_fail.then: { route }`, a template `output.to`, an artifact's `if` or `mode`, `type: file`, `aliases` or `required` inputs, `reads` objects, `precondition`, `n_round`/`max_runs` from an input, a command as CEL, `${env:NAME}` in an MCP server's `command`/`cwd` or a declared HTTP tool's `headers`, `role.turn`, `message.thread`, `previous_output`: all 0.2) should require that runner, and `sop validate` warns (`FORMAT_NEWER_THAN_REQUIRES`) when the range is missing or admits an older one.","type":"string"},"authors":{"description":"Who maintains this SOP.","type":"array","items":{"type":"string"}},"tags":{"description":"Free-form labels.","type":"array","items":{"type":"string"}}}},"Input":{"description":"One typed input of the SOP.","type":"object","additionalProperties":false,"properties":{"type":{"description":"Type of the value; `--input name=value` is parsed to it. `file`: `--input name=@path/to/file` copies that file into the workspace before the run (at `path`, default its base name), and the input's value is its workspace-relative path. A `file` input's `default` (`@data/sample.csv`, relative to the folder `sop` runs in) is read with nobody giving it, so it must stay in that folder: an absolute path or one climbing out with `..` is refused (`FILE_REF_ESCAPE`, exit 3), so an SOP from elsewhere cannot send `/home/me/.ssh/id_rsa` to its model; a file the user gives may be anywhere.","enum":["string","number","integer","boolean","file"],"default":"string"},"description":{"description":"Shown in `sop run --help`-style listings and errors.","type":"string"},"default":{"description":"Value used when the input is not given, as written: of the input's `type` (`3` for an `integer`, `false` for a `boolean`; a text input also takes a number or `true`/`false`) and one of its `enum` values, else `sop validate` refuses it. An input without a default is required."},"required":{"description":"Whether the input must be given, as GitHub Actions inputs say it: optional, since an input is required exactly when it has no `default`. `required: true` says so of an input without `default` (with one it is refused: remove the `default` to require the input); `required: false` needs a `default`, the value taken when the input is not given.","type":"boolean"},"enum":{"description":"The allowed values; another one given is refused (INPUT_INVALID, exit 2), the hint naming the one meant (`--input audience=engineers` for `Engineers`; in a `sop test` or `sop eval` case, `did you mean \"engineers\"?`, at the value).","type":"array","minItems":1},"path":{"description":"Where a `file` input is copied, relative to the workspace (default: the given file's base name).","type":"string","minLength":1},"aliases":{"description":"Other names of this input: it may be given as `--input ALIAS=...` (or, for the alias `idea`, as the positional argument of `sop run`), and templates and expressions see its value under every name.","type":"array","items":{"$ref":"#/$defs/Identifier"},"uniqueItems":true}}},"InputBound":{"description":"A whole number taken from an input when the run starts (`{ input: turns }`); the input must be given a whole number of at least 1.","type":"object","additionalProperties":false,"required":["input"],"properties":{"input":{"description":"The input (an `integer` or `number` one) whose value is the bound.","$ref":"#/$defs/Identifier"}}},"Settings":{"description":"Team settings: rounds, budget, concurrency, templates, default model.","type":"object","additionalProperties":false,"properties":{"n_round":{"description":"Maximum number of rounds (supersteps). Reaching it ends the run with status `round_limit`. A whole number from 1 to 1000000 (`--n-round` and an input that sets it have the same bound), or `{ input: NAME }` to take it from an input when the run starts.","oneOf":[{"type":"integer","minimum":1,"maximum":1000000},{"$ref":"#/$defs/InputBound"}],"default":20},"investment":{"description":"Budget in USD for model calls; when spent the run stops with status `budget_exhausted`.","type":"number","exclusiveMinimum":0},"max_tokens":{"description":"Budget in total tokens (prompt + completion) over the run.","type":"integer","minimum":1},"max_concurrency":{"description":"How many roles (and concurrent foreach items) may call models at the same time.","type":"integer","minimum":1,"default":4},"templates":{"description":"Template engine for every template in this SOP.","enum":["liquid","handlebars"],"default":"liquid"},"model":{"$ref":"#/$defs/ModelRef"},"max_output_attempts":{"description":"Default number of attempts for an action whose output fails validation (re-asked with the errors).","type":"integer","minimum":1,"maximum":10,"default":3},"tools":{"$ref":"#/$defs/ToolSettings"}}},"ModelRef":{"description":"Which model answers: a name (`offline`, `gpt-4o`, `script:answers.yaml` for scripted answers, an alias from config such as `strong`) or an object with parameters.","oneOf":[{"type":"string","minLength":1},{"type":"object","additionalProperties":false,"properties":{"name":{"description":"Model name or alias.","type":"string","minLength":1},"provider":{"description":"Provider kind: `offline`, `openai`, `ollama`, `anthropic`.","type":"string"},"temperature":{"description":"Sampling temperature.","type":"number","minimum":0,"maximum":2},"max_tokens":{"description":"Maximum tokens in one reply.","type":"integer","minimum":1}}}]},"MessageType":{"description":"A message type: a description and an optional JSON Schema for its payload. Templates and conditions see a message as `message` (`id`, `type`, `content`, `payload`, `from`, `to`, `cause`, `round`, and `thread`: `{ id, turn }`, where `id` is the start message its `cause` chain leads back to and `turn` counts the exchanges since it, 0 for a start message, 1 for a reply to it, 2 for the reply to that).","type":"object","additionalProperties":false,"properties":{"description":{"description":"What this message means; shown to models and in `sop graph`. A model is told `Your reply becomes a TYPE message: DESCRIPTION.`, a full stop added unless the description already ends with `.`, `!` or `?` (a phrase such as `A short Markdown text about the idea` or a sentence, both read as one sentence).","type":"string"},"schema":{"description":"JSON Schema of the payload (inline, or `{ $ref: file.json }` relative to the SOP). Actions with `format: json` must produce it. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt field passes, and `sop validate` warns (`PAYLOAD_SCHEMA_OPEN`).","type":"object"},"gates":{"description":"Gates every action publishing this type must pass, after the action's own gates (a revise path publishing the same type cannot skip them).","type":"array","items":{"$ref":"#/$defs/Gate"}}}},"StartMessage":{"description":"A message published before round 1.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"content":{"description":"Text of the message (a template over `inputs`).","$ref":"#/$defs/Template"},"payload":{"description":"Structured payload; string values are templates over `inputs`."},"to":{"description":"Deliver only to this role (by id), whatever it watches.","$ref":"#/$defs/Identifier"},"if":{"description":"Publish this message only when this CEL condition over `inputs` is true (e.g. `inputs.bug != \"\"`); absent: always.","$ref":"#/$defs/Expression"}}},"MessageCondition":{"description":"Matches a message by type and, optionally, a CEL condition over it (`payload`, `content`, `from`, `thread`, `inputs`), e.g. `thread.turn >= 6` to end a debate after six speeches.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"if":{"$ref":"#/$defs/Expression"}}},"Role":{"description":"A member of the team. Its actions' templates and the conditions checked while an action runs (`foreach`, `precondition`, an artifact's `if` and `foreach`, a gate's `assert`) see it as `role` (`id`, `profile`, `goal`, `constraints`, and `turn`: how many times the role has acted in this run, this time included, 1 on its first). `when.if` and `stop_when.if` are checked before any role acts and see the message instead: count exchanges there with `thread.turn`.","type":"object","additionalProperties":false,"required":["profile","watch","actions"],"properties":{"profile":{"description":"Who the role is (e.g. `Product Manager`); the start of its system prompt.","type":"string","minLength":1},"goal":{"description":"What the role is trying to achieve.","type":"string"},"constraints":{"description":"Rules the role follows, added to its system prompt.","oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}}]},"watch":{"description":"Message types this role receives. A message also reaches a role that it addresses with `to`.","type":"array","items":{"$ref":"#/$defs/MessageTypeName"}},"react":{"$ref":"#/$defs/React"},"model":{"$ref":"#/$defs/ModelRef"},"memory":{"$ref":"#/$defs/Memory"},"actions":{"description":"What the role can do, in order.","type":"array","minItems":1,"items":{"$ref":"#/$defs/Action"}}}},"React":{"description":"How the role chooses actions when news arrives.","type":"object","additionalProperties":false,"properties":{"mode":{"description":"`by_order`: every action whose `when` matches runs, in order. `react`: the model picks the next action or `done`. `plan_and_act`: the model writes a plan of actions, then the runner executes it.","enum":["by_order","react","plan_and_act"],"default":"by_order"},"max_react_loop":{"description":"`react` mode: most actions chosen for one piece of news.","type":"integer","minimum":1,"default":5},"max_replans":{"description":"`plan_and_act` mode: how often an invalid plan is asked for again.","type":"integer","minimum":0,"default":2}}},"Memory":{"description":"Which past messages the role's prompts see as `memory`, so prompts stay bounded.","type":"object","additionalProperties":false,"properties":{"policy":{"description":"`window`: the last `size` messages the role received or sent. `chain`: only the messages that caused the trigger. `none`: nothing.","enum":["window","chain","none"],"default":"window"},"size":{"description":"`window`: how many messages.","type":"integer","minimum":1,"default":10}}},"When":{"description":"Which news triggers the action.","type":"object","additionalProperties":false,"properties":{"type":{"description":"Message type(s) that trigger the action. Default: any type the role watches.","oneOf":[{"$ref":"#/$defs/MessageTypeName"},{"type":"array","minItems":1,"items":{"$ref":"#/$defs/MessageTypeName"}}]},"if":{"$ref":"#/$defs/Expression"},"batch":{"description":"Run once for all matching messages delivered in the same round (they are in `messages`), instead of once per message.","type":"boolean","default":false}}},"Foreach":{"description":"Run the action once per item of a list (a CEL expression over the trigger, e.g. `message.payload.tasks`).","oneOf":[{"$ref":"#/$defs/Expression"},{"type":"object","additionalProperties":false,"required":["items"],"properties":{"items":{"$ref":"#/$defs/Expression"},"concurrency":{"description":"How many items run at the same time (1 = in order).","type":"integer","minimum":1,"default":1}}}]},"ReadsEntry":{"description":"One entry of `reads`: a path template, `{ path, required: true }` for a file that must exist (a missing one fails the action with `READ_MISSING`, exit 9, before the model is called), a CEL list of paths, or a glob.","oneOf":[{"$ref":"#/$defs/Template"},{"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Workspace-relative path (a template).","$ref":"#/$defs/Template"},"required":{"description":"The file must exist when the action runs.","type":"boolean","default":false}}},{"type":"object","additionalProperties":false,"required":["each"],"properties":{"each":{"description":"A CEL expression giving a list of workspace paths (e.g. `item.depends_on`); an empty list reads nothing.","$ref":"#/$defs/Expression"},"max_files":{"$ref":"#/$defs/ReadsMaxFiles"}}},{"type":"object","additionalProperties":false,"required":["glob"],"properties":{"glob":{"description":"A glob over the workspace (a template), e.g. `src/**/*.py`: `*`, `**`, `?`, `[abc]`, `{a,b}`; hidden files and folders, and symlinks, are not matched.","$ref":"#/$defs/Template"},"max_files":{"$ref":"#/$defs/ReadsMaxFiles"}}}]},"ReadsMaxFiles":{"description":"Most files this entry reads (default 50); more is an error, so a prompt never silently misses a file.","type":"integer","minimum":1,"maximum":1000,"default":50},"Output":{"description":"The message an action publishes.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"format":{"description":"`text`/`markdown`: as written. `json`: parsed and validated against the type's schema. `code`: fences stripped.","enum":["text","markdown","json","code"],"default":"text"},"language":{"description":"`format: code`: the language. Default: from the first artifact's file extension.","type":"string"},"to":{"description":"Address the message to this role only: a role id, or a template over the trigger and the output (`{{ message.from }}`, `{{ payload.assignee }}`) that must render to a role id.","$ref":"#/$defs/Recipient"},"max_attempts":{"description":"Attempts when the output fails validation (re-asked with the errors).","type":"integer","minimum":1,"maximum":10}}},"Artifact":{"description":"A file written to the workspace from the action's output. Paths never leave the workspace.","type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Workspace-relative path (a template).","$ref":"#/$defs/Template"},"content":{"description":"File content (a template; default `{{ output }}`).","$ref":"#/$defs/Template"},"template":{"description":"File content from a template file next to the SOP.","$ref":"#/$defs/FileRef"},"foreach":{"description":"Write one file per item of this list (a CEL expression, e.g. `output.files`); `item` is in scope.","$ref":"#/$defs/Expression"},"if":{"description":"Write the artifact only when this CEL condition holds (same variables as `foreach`: `output`, `payload`, `message`, `inputs`, `role`, and `item`/`index` in a foreach action); evaluated once, before any `foreach`.","$ref":"#/$defs/Expression"},"mode":{"description":"`overwrite` replaces the file; `append` adds the rendered content to the end of it (a transcript built turn by turn), once the output has passed its gates: an attempt a gate sends back is not appended (`overwrite` files are written for each attempt, before the gates, so a gate command can check them). The run's first append to a path starts the file anew; a resumed run continues from what its last completed round wrote, so no append is doubled.","enum":["overwrite","append"],"default":"overwrite"}}},"Gate":{"description":"A check on the action's output before it is published: exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human`; or `use` alone, naming a gate set.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"use":{"description":"The gates of the set of this name under the top-level `gates`, in place of this entry (nothing else beside it). In an action's or a message type's `gates`, or in a set: a set may use other sets, expanded in place (as a GitHub Actions composite step may use another action), but not one that leads back to it (`GATE_SET_CYCLE`).","$ref":"#/$defs/Identifier"},"name":{"description":"Name shown in events and reports.","type":"string"},"if":{"description":"A CEL condition over `output`, `payload`, `message`, `inputs` (`item`, `index` in foreach): the gate is checked only when it is true.","$ref":"#/$defs/Expression"},"assert":{"description":"A CEL expression over `output`, `payload`, `inputs` that must be true.","$ref":"#/$defs/Expression"},"length":{"description":"Shorthand assert: the output text has at least `min` and at most `max` characters.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"min":{"type":"integer","minimum":0,"description":"Fewest characters."},"max":{"type":"integer","minimum":0,"description":"Most characters."}}},"matches":{"description":"Shorthand assert: the output text matches this regular expression (RE2 syntax, unanchored, matched in linear time: no backreferences or lookaround; evaluated by CEL `matches`).","type":"string","minLength":1},"contains":{"description":"Shorthand assert: the output text contains this text (or each of these).","oneOf":[{"type":"string","minLength":1},{"type":"array","minItems":1,"items":{"type":"string","minLength":1}}]},"command":{"$ref":"#/$defs/CommandSpec"},"judge":{"description":"A model scores the output against a rubric.","type":"object","additionalProperties":false,"required":["rubric"],"properties":{"rubric":{"description":"What a good output does; the judge scores the output 0 to 10 against it.","type":"string"},"min_score":{"description":"Passing score, 0 to 10.","type":"number","minimum":0,"maximum":10,"default":7},"model":{"description":"The judge's model (default: the action's).","$ref":"#/$defs/ModelRef"}}},"human":{"description":"A person approves, rejects with feedback, or edits.","type":"object","additionalProperties":false,"properties":{"prompt":{"description":"What the reviewer is asked (a template over `inputs`, `output`, `payload`, `role`, `message`).","type":"string"},"enabled":{"description":"A CEL expression; the gate applies only when true (e.g. `inputs.review`).","$ref":"#/$defs/Expression"}}},"on_fail":{"$ref":"#/$defs/OnFail"}}},"OnFail":{"description":"What happens when the gate fails. Without `on_fail`: `stop`, the run ends (a human gate's rejection too: `{ revise: N }` has the output revised with the reviewer's feedback).","oneOf":[{"description":"`stop` ends the run; `warn` publishes anyway.","enum":["stop","warn"]},{"type":"object","additionalProperties":false,"properties":{"revise":{"description":"Re-run the action with its previous output and the gate's feedback (the prompt's `previous_output`, the output's text, and `feedback`; both appended, output first, to a prompt that places neither), up to this many times; then `then` (default `stop`), or `route`.","type":"integer","minimum":1},"route":{"description":"Publish a message of this type with the feedback instead.","$ref":"#/$defs/MessageTypeName"},"then":{"description":"After the revisions: `stop` the run (default), `warn` and publish the last output anyway, or escalate: `{ route: Type, to: role }` publishes the feedback and the last output as `Type`, to `to` (a senior reviewer, a role with a human gate) or, without `to`, to the type's watchers. Not with `route`.","oneOf":[{"enum":["stop","warn"]},{"type":"object","additionalProperties":false,"required":["route"],"properties":{"route":{"description":"The message type that carries the escalation.","$ref":"#/$defs/MessageTypeName"},"to":{"description":"The role that takes the work over (default: whoever watches `route`).","$ref":"#/$defs/Identifier"}}}]}}}]},"CommandSpec":{"description":"A command run in the workspace, as argv (never through a shell).","type":"object","additionalProperties":false,"required":["command"],"properties":{"command":{"description":"Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).","oneOf":[{"type":"array","minItems":1,"items":{"$ref":"#/$defs/Template"}},{"$ref":"#/$defs/Expression"}]},"cwd":{"description":"Working folder, relative to the workspace.","type":"string"},"timeout":{"description":"Seconds before the command is killed.","type":"number","exclusiveMinimum":0,"default":120},"env":{"description":"Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.","type":"object","additionalProperties":{"type":"string"}}}},"Action":{"description":"One step a role can take: a prompt to a model (or a command), an output message, artifacts and gates. Exactly one of `prompt` and `run`.","type":"object","additionalProperties":false,"required":["id","output"],"properties":{"id":{"description":"Unique within the SOP.","$ref":"#/$defs/Identifier"},"description":{"description":"What the action does; shown to the model in `react` and `plan_and_act` modes.","type":"string"},"when":{"$ref":"#/$defs/When"},"foreach":{"$ref":"#/$defs/Foreach"},"prompt":{"description":"The instruction sent to the model.","$ref":"#/$defs/TemplateSource"},"reads":{"description":"Workspace files this action reads into its template context as `files[\"path\"]`: a path (a template; a missing file reads as empty text), `{ each: <CEL list of paths> }` or `{ glob: \"src/**/*.py\" }` (matches in path order). A list or glob reads at most `max_files` files, and an action's reads total at most 4 MB; more is an error naming the entry.","type":"array","items":{"$ref":"#/$defs/ReadsEntry"}},"run":{"description":"Run a command instead of calling a model. The output payload is `{command, exit_code, passed, stdout, stderr, duration_ms}`: stdout and stderr are text, their last 8 KiB without terminal escape sequences (colours), other control characters as U+FFFD, and secrets (API keys, `${env:NAME}` values, secret inputs) masked as `***` before that cut, and before the 2,000 characters the message content and a gate's feedback keep, so no cut leaves part of one.","$ref":"#/$defs/CommandSpec"},"output":{"$ref":"#/$defs/Output"},"artifacts":{"description":"Files written from the output.","type":"array","items":{"$ref":"#/$defs/Artifact"}},"gates":{"description":"Checks on the output, in order; the first failing one decides.","type":"array","items":{"$ref":"#/$defs/Gate"}},"tools":{"description":"Tools the model may call during this action: built-in (`fs.read`, `fs.write`, `fs.list`, `fs.search`, `shell`, `http.get`), declared under `tools`, or MCP (`server.tool`, `server.*`).","type":"array","items":{"type":"string","pattern":"^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$"}},"max_tool_calls":{"description":"Most tool calls in one run of this action (default `settings.tools.max_calls`); then the model must answer.","type":"integer","minimum":1},"model":{"$ref":"#/$defs/ModelRef"},"max_runs":{"description":"Most times this action runs in one run (bounds fix loops); news beyond it is ignored with an event. A whole number, or `{ input: NAME }` to take it from an input when the run starts.","oneOf":[{"type":"integer","minimum":1},{"$ref":"#/$defs/InputBound"}]},"precondition":{"description":"A check made before the model is called (or the command run): exactly one of `assert` and `command`. When it fails the action fails (`PRECONDITION_FAILED`, exit 9) and nothing is paid for.","type":"object","additionalProperties":false,"properties":{"assert":{"description":"A CEL condition over `message`, `inputs`, `role`, `files` (what `reads` read) and `item`/`index` in a foreach action.","$ref":"#/$defs/Expression"},"command":{"description":"A command that must exit 0 (argv templates, as in `run`).","$ref":"#/$defs/CommandSpec"}}}}},"ToolDeclaration":{"description":"A tool the model may call: a description, a JSON Schema for its arguments, and exactly one of `command` (argv templates over `args`) and `http` (a request template over `args`).","type":"object","additionalProperties":false,"required":["description"],"properties":{"description":{"description":"What the tool does, as the model is told.","type":"string","minLength":1},"parameters":{"description":"JSON Schema (2020-12) of the arguments object; default: an object without properties. Arguments are validated against it before the tool runs. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt argument passes, and `sop validate` warns (`TOOL_PARAMETERS_OPEN`).","type":"object"},"command":{"description":"Run a command: each argv entry is a template over `args` and renders to exactly one argument (no shell, no splitting).","$ref":"#/$defs/CommandSpec"},"http":{"$ref":"#/$defs/HttpRequestTemplate"}}},"HttpRequestTemplate":{"description":"An HTTP request whose URL, headers and body are templates over `args`. The URL must start with a literal `http(s)://host`; arguments may choose the path and query, never the server. A header may also use `${env:NAME}` (a token kept out of the SOP file).","type":"object","additionalProperties":false,"required":["url"],"properties":{"method":{"description":"HTTP method.","enum":["GET","POST","PUT","PATCH","DELETE"],"default":"GET"},"url":{"description":"URL template, starting with a literal `http://` or `https://` origin.","type":"string","pattern":"^https?://[^{}/]+(/.*)?$"},"headers":{"description":"Request headers: values are templates over `args`, and may use `${env:NAME}` (e.g. `Authorization: \"Bearer ${env:GITHUB_TOKEN}\"`), read when the run starts (an unset variable stops it before any work) and treated as a secret: masked in everything the run writes and prints and in what the tool hands the model.","type":"object","additionalProperties":{"type":"string"}},"body":{"description":"Request body template.","type":"string"},"timeout":{"description":"Seconds before the request is aborted (default `settings.tools.timeout`).","type":"number","exclusiveMinimum":0}}},"McpServer":{"description":"An MCP server: exactly one of `command` (started as a child process, spoken to over stdio) and `url` (streamable HTTP).","type":"object","additionalProperties":false,"properties":{"command":{"description":"Program and arguments of a stdio server (each may use `${env:NAME}` for a machine-specific path, expanded when the run starts).","type":"array","minItems":1,"items":{"type":"string","minLength":1}},"cwd":{"description":"Working folder of a stdio server, relative to the SOP's folder (may use `${env:NAME}`, expanded when the run starts).","type":"string"},"env":{"description":"Environment of a stdio server beyond the variables the MCP SDK passes (HOME, LOGNAME, PATH, SHELL, TERM and USER; values may use `${env:NAME}`; those are treated as secrets).","type":"object","additionalProperties":{"type":"string"}},"url":{"description":"URL of a streamable HTTP server; may be (or start with) `${env:NAME}` for a machine-specific address.","type":"string","pattern":"^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})"},"headers":{"description":"Headers sent to an HTTP server (values may use `${env:NAME}`; those are treated as secrets).","type":"object","additionalProperties":{"type":"string"}},"allowed_tools":{"description":"The server's tools actions may use; default: all it lists.","type":"array","items":{"type":"string","minLength":1}},"timeout":{"description":"Seconds a tool call may take (default `settings.tools.timeout`).","type":"number","exclusiveMinimum":0}}},"ToolSettings":{"description":"Limits and allow-lists of tool calls.","type":"object","additionalProperties":false,"properties":{"max_calls":{"description":"Default `max_tool_calls` of an action.","type":"integer","minimum":1,"default":8},"timeout":{"description":"Seconds a tool call may take before it is stopped.","type":"number","exclusiveMinimum":0,"default":30},"max_output_bytes":{"description":"Bytes of a tool's result handed to the model; longer results keep their head and tail.","type":"integer","minimum":256,"default":16384},"shell":{"description":"The built-in `shell` tool.","type":"object","additionalProperties":false,"properties":{"allow":{"description":"Programs `shell` may run, by name (no paths). Empty: `shell` cannot be offered.","type":"array","items":{"type":"string","pattern":"^[A-Za-z0-9._+-]+$"}},"env":{"description":"Environment variables passed to the programs beyond PATH, HOME, LANG and TMPDIR.","type":"object","additionalProperties":{"type":"string"}}}},"http":{"description":"The built-in `http.get` tool.","type":"object","additionalProperties":false,"properties":{"allow_hosts":{"description":"Host names `http.get` may fetch from (exact, lowercase).","type":"array","items":{"type":"string","minLength":1}}}}}}}};
const schema32 = {"description":"Who this SOP is and which runners can run it.","type":"object","additionalProperties":false,"required":["name","version"],"properties":{"name":{"description":"Name of the SOP, lowercase with dashes; the default workspace is `workspace/<name>`.","type":"string","pattern":"^[a-z0-9][a-z0-9-_]*$"},"version":{"description":"Version of this SOP file (semver, e.g. `1.2.0`).","type":"string","pattern":"^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$"},"description":{"description":"What the SOP does, in a sentence.","type":"string"},"requires":{"description":"Semver range of `sop` runner versions this file works with, e.g. `>=0.2 <1`; a runner outside it refuses the file (`REQUIRES_UNSATISFIED`) naming the range. `sop/v1` grows by additions, and each addition names the runner that first reads it: a file using one (`vars`, gate sets, a message type's `gates`, `on_fail.then: { route }`, a template `output.to`, an artifact's `if` or `mode`, `type: file`, `aliases` or `required` inputs, `reads` objects, `precondition`, `n_round`/`max_runs` from an input, a command as CEL, `${env:NAME}` in an MCP server's `command`/`cwd` or a declared HTTP tool's `headers`, `role.turn`, `message.thread`, `previous_output`: all 0.2) should require that runner, and `sop validate` warns (`FORMAT_NEWER_THAN_REQUIRES`) when the range is missing or admits an older one.","type":"string"},"authors":{"description":"Who maintains this SOP.","type":"array","items":{"type":"string"}},"tags":{"description":"Free-form labels.","type":"array","items":{"type":"string"}}}};
const schema33 = {"description":"An identifier: lowercase letters, digits and underscores, starting with a letter.","type":"string","pattern":"^[a-z][a-z0-9_]*$"};
const schema42 = {"description":"A message type name: PascalCase letters and digits.","type":"string","pattern":"^[A-Z][A-Za-z0-9]*$"};
const schema102 = {"description":"An MCP server: exactly one of `command` (started as a child process, spoken to over stdio) and `url` (streamable HTTP).","type":"object","additionalProperties":false,"properties":{"command":{"description":"Program and arguments of a stdio server (each may use `${env:NAME}` for a machine-specific path, expanded when the run starts).","type":"array","minItems":1,"items":{"type":"string","minLength":1}},"cwd":{"description":"Working folder of a stdio server, relative to the SOP's folder (may use `${env:NAME}`, expanded when the run starts).","type":"string"},"env":{"description":"Environment of a stdio server beyond the variables the MCP SDK passes (HOME, LOGNAME, PATH, SHELL, TERM and USER; values may use `${env:NAME}`; those are treated as secrets).","type":"object","additionalProperties":{"type":"string"}},"url":{"description":"URL of a streamable HTTP server; may be (or start with) `${env:NAME}` for a machine-specific address.","type":"string","pattern":"^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})"},"headers":{"description":"Headers sent to an HTTP server (values may use `${env:NAME}`; those are treated as secrets).","type":"object","additionalProperties":{"type":"string"}},"allowed_tools":{"description":"The server's tools actions may use; default: all it lists.","type":"array","items":{"type":"string","minLength":1}},"timeout":{"description":"Seconds a tool call may take (default `settings.tools.timeout`).","type":"number","exclusiveMinimum":0}}};
const func1 = Object.prototype.hasOwnProperty;
const func2 = require("ajv/dist/runtime/ucs2length").default;
const pattern4 = new RegExp("^[a-z0-9][a-z0-9-_]*$", "u");
const pattern5 = new RegExp("^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$", "u");
const pattern6 = new RegExp("^[a-z][a-z0-9_]*$", "u");
const pattern11 = new RegExp("^[A-Z][A-Za-z0-9]*$", "u");
const pattern29 = new RegExp("^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})", "u");
const schema34 = {"description":"One typed input of the SOP.","type":"object","additionalProperties":false,"properties":{"type":{"description":"Type of the value; `--input name=value` is parsed to it. `file`: `--input name=@path/to/file` copies that file into the workspace before the run (at `path`, default its base name), and the input's value is its workspace-relative path. A `file` input's `default` (`@data/sample.csv`, relative to the folder `sop` runs in) is read with nobody giving it, so it must stay in that folder: an absolute path or one climbing out with `..` is refused (`FILE_REF_ESCAPE`, exit 3), so an SOP from elsewhere cannot send `/home/me/.ssh/id_rsa` to its model; a file the user gives may be anywhere.","enum":["string","number","integer","boolean","file"],"default":"string"},"description":{"description":"Shown in `sop run --help`-style listings and errors.","type":"string"},"default":{"description":"Value used when the input is not given, as written: of the input's `type` (`3` for an `integer`, `false` for a `boolean`; a text input also takes a number or `true`/`false`) and one of its `enum` values, else `sop validate` refuses it. An input without a default is required."},"required":{"description":"Whether the input must be given, as GitHub Actions inputs say it: optional, since an input is required exactly when it has no `default`. `required: true` says so of an input without `default` (with one it is refused: remove the `default` to require the input); `required: false` needs a `default`, the value taken when the input is not given.","type":"boolean"},"enum":{"description":"The allowed values; another one given is refused (INPUT_INVALID, exit 2), the hint naming the one meant (`--input audience=engineers` for `Engineers`; in a `sop test` or `sop eval` case, `did you mean \"engineers\"?`, at the value).","type":"array","minItems":1},"path":{"description":"Where a `file` input is copied, relative to the workspace (default: the given file's base name).","type":"string","minLength":1},"aliases":{"description":"Other names of this input: it may be given as `--input ALIAS=...` (or, for the alias `idea`, as the positional argument of `sop run`), and templates and expressions see its value under every name.","type":"array","items":{"$ref":"#/$defs/Identifier"},"uniqueItems":true}}};
const func0 = require("ajv/dist/runtime/equal").default;

function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((((((key0 === "type") || (key0 === "description")) || (key0 === "default")) || (key0 === "required")) || (key0 === "enum")) || (key0 === "path")) || (key0 === "aliases"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
if(!(((((data0 === "string") || (data0 === "number")) || (data0 === "integer")) || (data0 === "boolean")) || (data0 === "file"))){
const err1 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/enum",keyword:"enum",params:{allowedValues: schema34.properties.type.enum},message:"must be equal to one of the allowed values",schema:schema34.properties.type.enum,parentSchema:schema34.properties.type,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.description !== undefined){
let data1 = data.description;
if(typeof data1 !== "string"){
const err2 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.properties.description.type,parentSchema:schema34.properties.description,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.required !== undefined){
let data2 = data.required;
if(typeof data2 !== "boolean"){
const err3 = {instancePath:instancePath+"/required",schemaPath:"#/properties/required/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema34.properties.required.type,parentSchema:schema34.properties.required,data:data2};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.enum !== undefined){
let data3 = data.enum;
if(Array.isArray(data3)){
if(data3.length < 1){
const err4 = {instancePath:instancePath+"/enum",schemaPath:"#/properties/enum/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema34.properties.enum,data:data3};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/enum",schemaPath:"#/properties/enum/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema34.properties.enum.type,parentSchema:schema34.properties.enum,data:data3};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.path !== undefined){
let data4 = data.path;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err6 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema34.properties.path,data:data4};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema34.properties.path.type,parentSchema:schema34.properties.path,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.aliases !== undefined){
let data5 = data.aliases;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(typeof data6 === "string"){
if(!pattern6.test(data6)){
const err8 = {instancePath:instancePath+"/aliases/" + i0,schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data6};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/aliases/" + i0,schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data6};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
let i1 = data5.length;
let j0;
if(i1 > 1){
outer0:
for(;i1--;){
for(j0 = i1; j0--;){
if(func0(data5[i1], data5[j0])){
const err10 = {instancePath:instancePath+"/aliases",schemaPath:"#/properties/aliases/uniqueItems",keyword:"uniqueItems",params:{i: i1, j: j0},message:"must NOT have duplicate items (items ## "+j0+" and "+i1+" are identical)",schema:true,parentSchema:schema34.properties.aliases,data:data5};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
break outer0;
}
}
}
}
}
else {
const err11 = {instancePath:instancePath+"/aliases",schemaPath:"#/properties/aliases/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema34.properties.aliases.type,parentSchema:schema34.properties.aliases,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema34.type,parentSchema:schema34,data};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema37 = {"description":"Team settings: rounds, budget, concurrency, templates, default model.","type":"object","additionalProperties":false,"properties":{"n_round":{"description":"Maximum number of rounds (supersteps). Reaching it ends the run with status `round_limit`. A whole number from 1 to 1000000 (`--n-round` and an input that sets it have the same bound), or `{ input: NAME }` to take it from an input when the run starts.","oneOf":[{"type":"integer","minimum":1,"maximum":1000000},{"$ref":"#/$defs/InputBound"}],"default":20},"investment":{"description":"Budget in USD for model calls; when spent the run stops with status `budget_exhausted`.","type":"number","exclusiveMinimum":0},"max_tokens":{"description":"Budget in total tokens (prompt + completion) over the run.","type":"integer","minimum":1},"max_concurrency":{"description":"How many roles (and concurrent foreach items) may call models at the same time.","type":"integer","minimum":1,"default":4},"templates":{"description":"Template engine for every template in this SOP.","enum":["liquid","handlebars"],"default":"liquid"},"model":{"$ref":"#/$defs/ModelRef"},"max_output_attempts":{"description":"Default number of attempts for an action whose output fails validation (re-asked with the errors).","type":"integer","minimum":1,"maximum":10,"default":3},"tools":{"$ref":"#/$defs/ToolSettings"}}};
const schema40 = {"description":"Which model answers: a name (`offline`, `gpt-4o`, `script:answers.yaml` for scripted answers, an alias from config such as `strong`) or an object with parameters.","oneOf":[{"type":"string","minLength":1},{"type":"object","additionalProperties":false,"properties":{"name":{"description":"Model name or alias.","type":"string","minLength":1},"provider":{"description":"Provider kind: `offline`, `openai`, `ollama`, `anthropic`.","type":"string"},"temperature":{"description":"Sampling temperature.","type":"number","minimum":0,"maximum":2},"max_tokens":{"description":"Maximum tokens in one reply.","type":"integer","minimum":1}}}]};
const schema41 = {"description":"Limits and allow-lists of tool calls.","type":"object","additionalProperties":false,"properties":{"max_calls":{"description":"Default `max_tool_calls` of an action.","type":"integer","minimum":1,"default":8},"timeout":{"description":"Seconds a tool call may take before it is stopped.","type":"number","exclusiveMinimum":0,"default":30},"max_output_bytes":{"description":"Bytes of a tool's result handed to the model; longer results keep their head and tail.","type":"integer","minimum":256,"default":16384},"shell":{"description":"The built-in `shell` tool.","type":"object","additionalProperties":false,"properties":{"allow":{"description":"Programs `shell` may run, by name (no paths). Empty: `shell` cannot be offered.","type":"array","items":{"type":"string","pattern":"^[A-Za-z0-9._+-]+$"}},"env":{"description":"Environment variables passed to the programs beyond PATH, HOME, LANG and TMPDIR.","type":"object","additionalProperties":{"type":"string"}}}},"http":{"description":"The built-in `http.get` tool.","type":"object","additionalProperties":false,"properties":{"allow_hosts":{"description":"Host names `http.get` may fetch from (exact, lowercase).","type":"array","items":{"type":"string","minLength":1}}}}}};
const schema38 = {"description":"A whole number taken from an input when the run starts (`{ input: turns }`); the input must be given a whole number of at least 1.","type":"object","additionalProperties":false,"required":["input"],"properties":{"input":{"description":"The input (an `integer` or `number` one) whose value is the bound.","$ref":"#/$defs/Identifier"}}};

function validate24(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate24.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.input === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "input"},message:"must have required property '"+"input"+"'",schema:schema38.required,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "input")){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.input !== undefined){
let data0 = data.input;
if(typeof data0 === "string"){
if(!pattern6.test(data0)){
const err2 = {instancePath:instancePath+"/input",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/input",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
else {
const err4 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema38.type,parentSchema:schema38,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
validate24.errors = vErrors;
return errors === 0;
}
validate24.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const pattern10 = new RegExp("^[A-Za-z0-9._+-]+$", "u");

function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate23.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!((((((((key0 === "n_round") || (key0 === "investment")) || (key0 === "max_tokens")) || (key0 === "max_concurrency")) || (key0 === "templates")) || (key0 === "model")) || (key0 === "max_output_attempts")) || (key0 === "tools"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema37,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.n_round !== undefined){
let data0 = data.n_round;
const _errs3 = errors;
let valid1 = false;
let passing0 = null;
const _errs4 = errors;
if(!((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0)))){
const err1 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/oneOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema37.properties.n_round.oneOf[0].type,parentSchema:schema37.properties.n_round.oneOf[0],data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(typeof data0 == "number"){
if(data0 > 1000000 || isNaN(data0)){
const err2 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/oneOf/0/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000000},message:"must be <= 1000000",schema:1000000,parentSchema:schema37.properties.n_round.oneOf[0],data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data0 < 1 || isNaN(data0)){
const err3 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/oneOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema37.properties.n_round.oneOf[0],data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
var _valid0 = _errs4 === errors;
if(_valid0){
valid1 = true;
passing0 = 0;
}
const _errs6 = errors;
if(!(validate24(data0, {instancePath:instancePath+"/n_round",parentData:data,parentDataProperty:"n_round",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var _valid0 = _errs6 === errors;
if(_valid0 && valid1){
valid1 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid1 = true;
passing0 = 1;
}
}
if(!valid1){
const err4 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema37.properties.n_round.oneOf,parentSchema:schema37.properties.n_round,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
else {
errors = _errs3;
if(vErrors !== null){
if(_errs3){
vErrors.length = _errs3;
}
else {
vErrors = null;
}
}
}
}
if(data.investment !== undefined){
let data1 = data.investment;
if(typeof data1 == "number"){
if(data1 <= 0 || isNaN(data1)){
const err5 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema37.properties.investment,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema37.properties.investment.type,parentSchema:schema37.properties.investment,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.max_tokens !== undefined){
let data2 = data.max_tokens;
if(!((typeof data2 == "number") && (!(data2 % 1) && !isNaN(data2)))){
const err7 = {instancePath:instancePath+"/max_tokens",schemaPath:"#/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema37.properties.max_tokens.type,parentSchema:schema37.properties.max_tokens,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(typeof data2 == "number"){
if(data2 < 1 || isNaN(data2)){
const err8 = {instancePath:instancePath+"/max_tokens",schemaPath:"#/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema37.properties.max_tokens,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
if(data.max_concurrency !== undefined){
let data3 = data.max_concurrency;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err9 = {instancePath:instancePath+"/max_concurrency",schemaPath:"#/properties/max_concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema37.properties.max_concurrency.type,parentSchema:schema37.properties.max_concurrency,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 1 || isNaN(data3)){
const err10 = {instancePath:instancePath+"/max_concurrency",schemaPath:"#/properties/max_concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema37.properties.max_concurrency,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
if(data.templates !== undefined){
let data4 = data.templates;
if(!((data4 === "liquid") || (data4 === "handlebars"))){
const err11 = {instancePath:instancePath+"/templates",schemaPath:"#/properties/templates/enum",keyword:"enum",params:{allowedValues: schema37.properties.templates.enum},message:"must be equal to one of the allowed values",schema:schema37.properties.templates.enum,parentSchema:schema37.properties.templates,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.model !== undefined){
let data5 = data.model;
const _errs16 = errors;
let valid3 = false;
let passing1 = null;
const _errs17 = errors;
if(typeof data5 === "string"){
if(func2(data5) < 1){
const err12 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[0],data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[0].type,parentSchema:schema40.oneOf[0],data:data5};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
var _valid1 = _errs17 === errors;
if(_valid1){
valid3 = true;
passing1 = 0;
}
const _errs19 = errors;
if(data5 && typeof data5 == "object" && !Array.isArray(data5)){
for(const key1 in data5){
if(!((((key1 === "name") || (key1 === "provider")) || (key1 === "temperature")) || (key1 === "max_tokens"))){
const err14 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema40.oneOf[1],data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data5.name !== undefined){
let data6 = data5.name;
if(typeof data6 === "string"){
if(func2(data6) < 1){
const err15 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[1].properties.name,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
else {
const err16 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.name.type,parentSchema:schema40.oneOf[1].properties.name,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data5.provider !== undefined){
let data7 = data5.provider;
if(typeof data7 !== "string"){
const err17 = {instancePath:instancePath+"/model/provider",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/provider/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.provider.type,parentSchema:schema40.oneOf[1].properties.provider,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data5.temperature !== undefined){
let data8 = data5.temperature;
if(typeof data8 == "number"){
if(data8 > 2 || isNaN(data8)){
const err18 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema40.oneOf[1].properties.temperature,data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data8 < 0 || isNaN(data8)){
const err19 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.oneOf[1].properties.temperature,data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
else {
const err20 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema40.oneOf[1].properties.temperature.type,parentSchema:schema40.oneOf[1].properties.temperature,data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data5.max_tokens !== undefined){
let data9 = data5.max_tokens;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
const err21 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema40.oneOf[1].properties.max_tokens.type,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data9};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
if(typeof data9 == "number"){
if(data9 < 1 || isNaN(data9)){
const err22 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
}
else {
const err23 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.oneOf[1].type,parentSchema:schema40.oneOf[1],data:data5};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
var _valid1 = _errs19 === errors;
if(_valid1 && valid3){
valid3 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid3 = true;
passing1 = 1;
}
}
if(!valid3){
const err24 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf",schema:schema40.oneOf,parentSchema:schema40,data:data5};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
else {
errors = _errs16;
if(vErrors !== null){
if(_errs16){
vErrors.length = _errs16;
}
else {
vErrors = null;
}
}
}
}
if(data.max_output_attempts !== undefined){
let data10 = data.max_output_attempts;
if(!((typeof data10 == "number") && (!(data10 % 1) && !isNaN(data10)))){
const err25 = {instancePath:instancePath+"/max_output_attempts",schemaPath:"#/properties/max_output_attempts/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema37.properties.max_output_attempts.type,parentSchema:schema37.properties.max_output_attempts,data:data10};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
if(typeof data10 == "number"){
if(data10 > 10 || isNaN(data10)){
const err26 = {instancePath:instancePath+"/max_output_attempts",schemaPath:"#/properties/max_output_attempts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema37.properties.max_output_attempts,data:data10};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data10 < 1 || isNaN(data10)){
const err27 = {instancePath:instancePath+"/max_output_attempts",schemaPath:"#/properties/max_output_attempts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema37.properties.max_output_attempts,data:data10};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
if(data.tools !== undefined){
let data11 = data.tools;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
for(const key2 in data11){
if(!(((((key2 === "max_calls") || (key2 === "timeout")) || (key2 === "max_output_bytes")) || (key2 === "shell")) || (key2 === "http"))){
const err28 = {instancePath:instancePath+"/tools",schemaPath:"#/$defs/ToolSettings/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema41,data:data11};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data11.max_calls !== undefined){
let data12 = data11.max_calls;
if(!((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12)))){
const err29 = {instancePath:instancePath+"/tools/max_calls",schemaPath:"#/$defs/ToolSettings/properties/max_calls/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema41.properties.max_calls.type,parentSchema:schema41.properties.max_calls,data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
if(typeof data12 == "number"){
if(data12 < 1 || isNaN(data12)){
const err30 = {instancePath:instancePath+"/tools/max_calls",schemaPath:"#/$defs/ToolSettings/properties/max_calls/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema41.properties.max_calls,data:data12};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
}
if(data11.timeout !== undefined){
let data13 = data11.timeout;
if(typeof data13 == "number"){
if(data13 <= 0 || isNaN(data13)){
const err31 = {instancePath:instancePath+"/tools/timeout",schemaPath:"#/$defs/ToolSettings/properties/timeout/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema41.properties.timeout,data:data13};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/tools/timeout",schemaPath:"#/$defs/ToolSettings/properties/timeout/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema41.properties.timeout.type,parentSchema:schema41.properties.timeout,data:data13};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data11.max_output_bytes !== undefined){
let data14 = data11.max_output_bytes;
if(!((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14)))){
const err33 = {instancePath:instancePath+"/tools/max_output_bytes",schemaPath:"#/$defs/ToolSettings/properties/max_output_bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema41.properties.max_output_bytes.type,parentSchema:schema41.properties.max_output_bytes,data:data14};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
if(typeof data14 == "number"){
if(data14 < 256 || isNaN(data14)){
const err34 = {instancePath:instancePath+"/tools/max_output_bytes",schemaPath:"#/$defs/ToolSettings/properties/max_output_bytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 256},message:"must be >= 256",schema:256,parentSchema:schema41.properties.max_output_bytes,data:data14};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
}
if(data11.shell !== undefined){
let data15 = data11.shell;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key3 in data15){
if(!((key3 === "allow") || (key3 === "env"))){
const err35 = {instancePath:instancePath+"/tools/shell",schemaPath:"#/$defs/ToolSettings/properties/shell/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema41.properties.shell,data:data15};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data15.allow !== undefined){
let data16 = data15.allow;
if(Array.isArray(data16)){
const len0 = data16.length;
for(let i0=0; i0<len0; i0++){
let data17 = data16[i0];
if(typeof data17 === "string"){
if(!pattern10.test(data17)){
const err36 = {instancePath:instancePath+"/tools/shell/allow/" + i0,schemaPath:"#/$defs/ToolSettings/properties/shell/properties/allow/items/pattern",keyword:"pattern",params:{pattern: "^[A-Za-z0-9._+-]+$"},message:"must match pattern \""+"^[A-Za-z0-9._+-]+$"+"\"",schema:"^[A-Za-z0-9._+-]+$",parentSchema:schema41.properties.shell.properties.allow.items,data:data17};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
else {
const err37 = {instancePath:instancePath+"/tools/shell/allow/" + i0,schemaPath:"#/$defs/ToolSettings/properties/shell/properties/allow/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.properties.shell.properties.allow.items.type,parentSchema:schema41.properties.shell.properties.allow.items,data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
}
else {
const err38 = {instancePath:instancePath+"/tools/shell/allow",schemaPath:"#/$defs/ToolSettings/properties/shell/properties/allow/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema41.properties.shell.properties.allow.type,parentSchema:schema41.properties.shell.properties.allow,data:data16};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data15.env !== undefined){
let data18 = data15.env;
if(data18 && typeof data18 == "object" && !Array.isArray(data18)){
for(const key4 in data18){
let data19 = data18[key4];
if(typeof data19 !== "string"){
const err39 = {instancePath:instancePath+"/tools/shell/env/" + key4.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/ToolSettings/properties/shell/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.properties.shell.properties.env.additionalProperties.type,parentSchema:schema41.properties.shell.properties.env.additionalProperties,data:data19};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
}
else {
const err40 = {instancePath:instancePath+"/tools/shell/env",schemaPath:"#/$defs/ToolSettings/properties/shell/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.properties.shell.properties.env.type,parentSchema:schema41.properties.shell.properties.env,data:data18};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
}
else {
const err41 = {instancePath:instancePath+"/tools/shell",schemaPath:"#/$defs/ToolSettings/properties/shell/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.properties.shell.type,parentSchema:schema41.properties.shell,data:data15};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
if(data11.http !== undefined){
let data20 = data11.http;
if(data20 && typeof data20 == "object" && !Array.isArray(data20)){
for(const key5 in data20){
if(!(key5 === "allow_hosts")){
const err42 = {instancePath:instancePath+"/tools/http",schemaPath:"#/$defs/ToolSettings/properties/http/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key5},message:"must NOT have additional properties",schema:false,parentSchema:schema41.properties.http,data:data20};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data20.allow_hosts !== undefined){
let data21 = data20.allow_hosts;
if(Array.isArray(data21)){
const len1 = data21.length;
for(let i1=0; i1<len1; i1++){
let data22 = data21[i1];
if(typeof data22 === "string"){
if(func2(data22) < 1){
const err43 = {instancePath:instancePath+"/tools/http/allow_hosts/" + i1,schemaPath:"#/$defs/ToolSettings/properties/http/properties/allow_hosts/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema41.properties.http.properties.allow_hosts.items,data:data22};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
else {
const err44 = {instancePath:instancePath+"/tools/http/allow_hosts/" + i1,schemaPath:"#/$defs/ToolSettings/properties/http/properties/allow_hosts/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.properties.http.properties.allow_hosts.items.type,parentSchema:schema41.properties.http.properties.allow_hosts.items,data:data22};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
}
else {
const err45 = {instancePath:instancePath+"/tools/http/allow_hosts",schemaPath:"#/$defs/ToolSettings/properties/http/properties/allow_hosts/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema41.properties.http.properties.allow_hosts.type,parentSchema:schema41.properties.http.properties.allow_hosts,data:data21};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
}
else {
const err46 = {instancePath:instancePath+"/tools/http",schemaPath:"#/$defs/ToolSettings/properties/http/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.properties.http.type,parentSchema:schema41.properties.http,data:data20};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
}
else {
const err47 = {instancePath:instancePath+"/tools",schemaPath:"#/$defs/ToolSettings/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.type,parentSchema:schema41,data:data11};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
}
else {
const err48 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema37.type,parentSchema:schema37,data};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
validate23.errors = vErrors;
return errors === 0;
}
validate23.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema43 = {"description":"A message type: a description and an optional JSON Schema for its payload. Templates and conditions see a message as `message` (`id`, `type`, `content`, `payload`, `from`, `to`, `cause`, `round`, and `thread`: `{ id, turn }`, where `id` is the start message its `cause` chain leads back to and `turn` counts the exchanges since it, 0 for a start message, 1 for a reply to it, 2 for the reply to that).","type":"object","additionalProperties":false,"properties":{"description":{"description":"What this message means; shown to models and in `sop graph`. A model is told `Your reply becomes a TYPE message: DESCRIPTION.`, a full stop added unless the description already ends with `.`, `!` or `?` (a phrase such as `A short Markdown text about the idea` or a sentence, both read as one sentence).","type":"string"},"schema":{"description":"JSON Schema of the payload (inline, or `{ $ref: file.json }` relative to the SOP). Actions with `format: json` must produce it. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt field passes, and `sop validate` warns (`PAYLOAD_SCHEMA_OPEN`).","type":"object"},"gates":{"description":"Gates every action publishing this type must pass, after the action's own gates (a revise path publishing the same type cannot skip them).","type":"array","items":{"$ref":"#/$defs/Gate"}}}};
const schema44 = {"description":"A check on the action's output before it is published: exactly one of `assert`, `length`, `matches`, `contains`, `command`, `judge`, `human`; or `use` alone, naming a gate set.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"use":{"description":"The gates of the set of this name under the top-level `gates`, in place of this entry (nothing else beside it). In an action's or a message type's `gates`, or in a set: a set may use other sets, expanded in place (as a GitHub Actions composite step may use another action), but not one that leads back to it (`GATE_SET_CYCLE`).","$ref":"#/$defs/Identifier"},"name":{"description":"Name shown in events and reports.","type":"string"},"if":{"description":"A CEL condition over `output`, `payload`, `message`, `inputs` (`item`, `index` in foreach): the gate is checked only when it is true.","$ref":"#/$defs/Expression"},"assert":{"description":"A CEL expression over `output`, `payload`, `inputs` that must be true.","$ref":"#/$defs/Expression"},"length":{"description":"Shorthand assert: the output text has at least `min` and at most `max` characters.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"min":{"type":"integer","minimum":0,"description":"Fewest characters."},"max":{"type":"integer","minimum":0,"description":"Most characters."}}},"matches":{"description":"Shorthand assert: the output text matches this regular expression (RE2 syntax, unanchored, matched in linear time: no backreferences or lookaround; evaluated by CEL `matches`).","type":"string","minLength":1},"contains":{"description":"Shorthand assert: the output text contains this text (or each of these).","oneOf":[{"type":"string","minLength":1},{"type":"array","minItems":1,"items":{"type":"string","minLength":1}}]},"command":{"$ref":"#/$defs/CommandSpec"},"judge":{"description":"A model scores the output against a rubric.","type":"object","additionalProperties":false,"required":["rubric"],"properties":{"rubric":{"description":"What a good output does; the judge scores the output 0 to 10 against it.","type":"string"},"min_score":{"description":"Passing score, 0 to 10.","type":"number","minimum":0,"maximum":10,"default":7},"model":{"description":"The judge's model (default: the action's).","$ref":"#/$defs/ModelRef"}}},"human":{"description":"A person approves, rejects with feedback, or edits.","type":"object","additionalProperties":false,"properties":{"prompt":{"description":"What the reviewer is asked (a template over `inputs`, `output`, `payload`, `role`, `message`).","type":"string"},"enabled":{"description":"A CEL expression; the gate applies only when true (e.g. `inputs.review`).","$ref":"#/$defs/Expression"}}},"on_fail":{"$ref":"#/$defs/OnFail"}}};
const schema46 = {"description":"A CEL expression (Common Expression Language), e.g. `payload.passed == false`. Never JavaScript.","type":"string","minLength":1};
const schema48 = {"description":"A command run in the workspace, as argv (never through a shell).","type":"object","additionalProperties":false,"required":["command"],"properties":{"command":{"description":"Program and arguments: a list whose elements are templates, or a CEL expression giving the list (e.g. `vars.test_command[payload.language]`).","oneOf":[{"type":"array","minItems":1,"items":{"$ref":"#/$defs/Template"}},{"$ref":"#/$defs/Expression"}]},"cwd":{"description":"Working folder, relative to the workspace.","type":"string"},"timeout":{"description":"Seconds before the command is killed.","type":"number","exclusiveMinimum":0,"default":120},"env":{"description":"Extra environment variables (values are templates). The command gets a scrubbed environment: API keys and SOP_* are never passed.","type":"object","additionalProperties":{"type":"string"}}}};
const schema49 = {"description":"Text rendered by the SOP's template engine (Liquid by default, or Handlebars). Text shared by several templates goes in a partial, a file in the SOP's folder tree: Liquid `{% include 'prompts/house' %}` reads `prompts/house.liquid` (`{% render %}` gives it only what it passes), Handlebars `{{> house}}` reads `house.hbs` or `partials/house.hbs`; `sop validate` checks the variables a partial reads, in the partial's file.","type":"string"};

function validate29(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate29.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.command === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "command"},message:"must have required property '"+"command"+"'",schema:schema48.required,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "command") || (key0 === "cwd")) || (key0 === "timeout")) || (key0 === "env"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.command !== undefined){
let data0 = data.command;
const _errs3 = errors;
let valid1 = false;
let passing0 = null;
const _errs4 = errors;
if(Array.isArray(data0)){
if(data0.length < 1){
const err2 = {instancePath:instancePath+"/command",schemaPath:"#/properties/command/oneOf/0/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema48.properties.command.oneOf[0],data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
if(typeof data1 !== "string"){
const err3 = {instancePath:instancePath+"/command/" + i0,schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
else {
const err4 = {instancePath:instancePath+"/command",schemaPath:"#/properties/command/oneOf/0/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema48.properties.command.oneOf[0].type,parentSchema:schema48.properties.command.oneOf[0],data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
var _valid0 = _errs4 === errors;
if(_valid0){
valid1 = true;
passing0 = 0;
}
const _errs9 = errors;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err5 = {instancePath:instancePath+"/command",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/command",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var _valid0 = _errs9 === errors;
if(_valid0 && valid1){
valid1 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid1 = true;
passing0 = 1;
}
}
if(!valid1){
const err7 = {instancePath:instancePath+"/command",schemaPath:"#/properties/command/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema48.properties.command.oneOf,parentSchema:schema48.properties.command,data:data0};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
else {
errors = _errs3;
if(vErrors !== null){
if(_errs3){
vErrors.length = _errs3;
}
else {
vErrors = null;
}
}
}
}
if(data.cwd !== undefined){
let data2 = data.cwd;
if(typeof data2 !== "string"){
const err8 = {instancePath:instancePath+"/cwd",schemaPath:"#/properties/cwd/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.cwd.type,parentSchema:schema48.properties.cwd,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.timeout !== undefined){
let data3 = data.timeout;
if(typeof data3 == "number"){
if(data3 <= 0 || isNaN(data3)){
const err9 = {instancePath:instancePath+"/timeout",schemaPath:"#/properties/timeout/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema48.properties.timeout,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/timeout",schemaPath:"#/properties/timeout/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema48.properties.timeout.type,parentSchema:schema48.properties.timeout,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.env !== undefined){
let data4 = data.env;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
for(const key1 in data4){
let data5 = data4[key1];
if(typeof data5 !== "string"){
const err11 = {instancePath:instancePath+"/env/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.env.additionalProperties.type,parentSchema:schema48.properties.env.additionalProperties,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
}
else {
const err12 = {instancePath:instancePath+"/env",schemaPath:"#/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema48.properties.env.type,parentSchema:schema48.properties.env,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema48.type,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
validate29.errors = vErrors;
return errors === 0;
}
validate29.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema53 = {"description":"What happens when the gate fails. Without `on_fail`: `stop`, the run ends (a human gate's rejection too: `{ revise: N }` has the output revised with the reviewer's feedback).","oneOf":[{"description":"`stop` ends the run; `warn` publishes anyway.","enum":["stop","warn"]},{"type":"object","additionalProperties":false,"properties":{"revise":{"description":"Re-run the action with its previous output and the gate's feedback (the prompt's `previous_output`, the output's text, and `feedback`; both appended, output first, to a prompt that places neither), up to this many times; then `then` (default `stop`), or `route`.","type":"integer","minimum":1},"route":{"description":"Publish a message of this type with the feedback instead.","$ref":"#/$defs/MessageTypeName"},"then":{"description":"After the revisions: `stop` the run (default), `warn` and publish the last output anyway, or escalate: `{ route: Type, to: role }` publishes the feedback and the last output as `Type`, to `to` (a senior reviewer, a role with a human gate) or, without `to`, to the type's watchers. Not with `route`.","oneOf":[{"enum":["stop","warn"]},{"type":"object","additionalProperties":false,"required":["route"],"properties":{"route":{"description":"The message type that carries the escalation.","$ref":"#/$defs/MessageTypeName"},"to":{"description":"The role that takes the work over (default: whoever watches `route`).","$ref":"#/$defs/Identifier"}}}]}}}]};

function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate31.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(!((data === "stop") || (data === "warn"))){
const err0 = {instancePath,schemaPath:"#/oneOf/0/enum",keyword:"enum",params:{allowedValues: schema53.oneOf[0].enum},message:"must be equal to one of the allowed values",schema:schema53.oneOf[0].enum,parentSchema:schema53.oneOf[0],data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs2 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((key0 === "revise") || (key0 === "route")) || (key0 === "then"))){
const err1 = {instancePath,schemaPath:"#/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema53.oneOf[1],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.revise !== undefined){
let data0 = data.revise;
if(!((typeof data0 == "number") && (!(data0 % 1) && !isNaN(data0)))){
const err2 = {instancePath:instancePath+"/revise",schemaPath:"#/oneOf/1/properties/revise/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema53.oneOf[1].properties.revise.type,parentSchema:schema53.oneOf[1].properties.revise,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(typeof data0 == "number"){
if(data0 < 1 || isNaN(data0)){
const err3 = {instancePath:instancePath+"/revise",schemaPath:"#/oneOf/1/properties/revise/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema53.oneOf[1].properties.revise,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
if(data.route !== undefined){
let data1 = data.route;
if(typeof data1 === "string"){
if(!pattern11.test(data1)){
const err4 = {instancePath:instancePath+"/route",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/route",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.then !== undefined){
let data2 = data.then;
const _errs11 = errors;
let valid3 = false;
let passing1 = null;
const _errs12 = errors;
if(!((data2 === "stop") || (data2 === "warn"))){
const err6 = {instancePath:instancePath+"/then",schemaPath:"#/oneOf/1/properties/then/oneOf/0/enum",keyword:"enum",params:{allowedValues: schema53.oneOf[1].properties.then.oneOf[0].enum},message:"must be equal to one of the allowed values",schema:schema53.oneOf[1].properties.then.oneOf[0].enum,parentSchema:schema53.oneOf[1].properties.then.oneOf[0],data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var _valid1 = _errs12 === errors;
if(_valid1){
valid3 = true;
passing1 = 0;
}
const _errs13 = errors;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.route === undefined){
const err7 = {instancePath:instancePath+"/then",schemaPath:"#/oneOf/1/properties/then/oneOf/1/required",keyword:"required",params:{missingProperty: "route"},message:"must have required property '"+"route"+"'",schema:schema53.oneOf[1].properties.then.oneOf[1].required,parentSchema:schema53.oneOf[1].properties.then.oneOf[1],data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
for(const key1 in data2){
if(!((key1 === "route") || (key1 === "to"))){
const err8 = {instancePath:instancePath+"/then",schemaPath:"#/oneOf/1/properties/then/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema53.oneOf[1].properties.then.oneOf[1],data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data2.route !== undefined){
let data3 = data2.route;
if(typeof data3 === "string"){
if(!pattern11.test(data3)){
const err9 = {instancePath:instancePath+"/then/route",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/then/route",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data2.to !== undefined){
let data4 = data2.to;
if(typeof data4 === "string"){
if(!pattern6.test(data4)){
const err11 = {instancePath:instancePath+"/then/to",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/then/to",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/then",schemaPath:"#/oneOf/1/properties/then/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.oneOf[1].properties.then.oneOf[1].type,parentSchema:schema53.oneOf[1].properties.then.oneOf[1],data:data2};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
var _valid1 = _errs13 === errors;
if(_valid1 && valid3){
valid3 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid3 = true;
passing1 = 1;
}
}
if(!valid3){
const err14 = {instancePath:instancePath+"/then",schemaPath:"#/oneOf/1/properties/then/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf",schema:schema53.oneOf[1].properties.then.oneOf,parentSchema:schema53.oneOf[1].properties.then,data:data2};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
else {
errors = _errs11;
if(vErrors !== null){
if(_errs11){
vErrors.length = _errs11;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err15 = {instancePath,schemaPath:"#/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.oneOf[1].type,parentSchema:schema53.oneOf[1],data};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
var _valid0 = _errs2 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
var props1 = true;
}
}
if(!valid0){
const err16 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema53.oneOf,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate31.errors = vErrors;
evaluated0.props = props1;
return errors === 0;
}
validate31.evaluated = {"dynamicProps":true,"dynamicItems":false};


function validate28(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate28.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(Object.keys(data).length < 1){
const err0 = {instancePath,schemaPath:"#/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema44.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.use !== undefined){
let data0 = data.use;
if(typeof data0 === "string"){
if(!pattern6.test(data0)){
const err2 = {instancePath:instancePath+"/use",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/use",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.name !== undefined){
let data1 = data.name;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.name.type,parentSchema:schema44.properties.name,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.if !== undefined){
let data2 = data.if;
if(typeof data2 === "string"){
if(func2(data2) < 1){
const err5 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.assert !== undefined){
let data3 = data.assert;
if(typeof data3 === "string"){
if(func2(data3) < 1){
const err7 = {instancePath:instancePath+"/assert",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/assert",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.length !== undefined){
let data4 = data.length;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(Object.keys(data4).length < 1){
const err9 = {instancePath:instancePath+"/length",schemaPath:"#/properties/length/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema44.properties.length,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
for(const key1 in data4){
if(!((key1 === "min") || (key1 === "max"))){
const err10 = {instancePath:instancePath+"/length",schemaPath:"#/properties/length/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema44.properties.length,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data4.min !== undefined){
let data5 = data4.min;
if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){
const err11 = {instancePath:instancePath+"/length/min",schemaPath:"#/properties/length/properties/min/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema44.properties.length.properties.min.type,parentSchema:schema44.properties.length.properties.min,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(typeof data5 == "number"){
if(data5 < 0 || isNaN(data5)){
const err12 = {instancePath:instancePath+"/length/min",schemaPath:"#/properties/length/properties/min/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema44.properties.length.properties.min,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
if(data4.max !== undefined){
let data6 = data4.max;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
const err13 = {instancePath:instancePath+"/length/max",schemaPath:"#/properties/length/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema44.properties.length.properties.max.type,parentSchema:schema44.properties.length.properties.max,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(typeof data6 == "number"){
if(data6 < 0 || isNaN(data6)){
const err14 = {instancePath:instancePath+"/length/max",schemaPath:"#/properties/length/properties/max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema44.properties.length.properties.max,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
}
else {
const err15 = {instancePath:instancePath+"/length",schemaPath:"#/properties/length/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.properties.length.type,parentSchema:schema44.properties.length,data:data4};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.matches !== undefined){
let data7 = data.matches;
if(typeof data7 === "string"){
if(func2(data7) < 1){
const err16 = {instancePath:instancePath+"/matches",schemaPath:"#/properties/matches/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema44.properties.matches,data:data7};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
else {
const err17 = {instancePath:instancePath+"/matches",schemaPath:"#/properties/matches/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.matches.type,parentSchema:schema44.properties.matches,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data.contains !== undefined){
let data8 = data.contains;
const _errs23 = errors;
let valid5 = false;
let passing0 = null;
const _errs24 = errors;
if(typeof data8 === "string"){
if(func2(data8) < 1){
const err18 = {instancePath:instancePath+"/contains",schemaPath:"#/properties/contains/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema44.properties.contains.oneOf[0],data:data8};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
else {
const err19 = {instancePath:instancePath+"/contains",schemaPath:"#/properties/contains/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.contains.oneOf[0].type,parentSchema:schema44.properties.contains.oneOf[0],data:data8};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
var _valid0 = _errs24 === errors;
if(_valid0){
valid5 = true;
passing0 = 0;
}
const _errs26 = errors;
if(Array.isArray(data8)){
if(data8.length < 1){
const err20 = {instancePath:instancePath+"/contains",schemaPath:"#/properties/contains/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema44.properties.contains.oneOf[1],data:data8};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
const len0 = data8.length;
for(let i0=0; i0<len0; i0++){
let data9 = data8[i0];
if(typeof data9 === "string"){
if(func2(data9) < 1){
const err21 = {instancePath:instancePath+"/contains/" + i0,schemaPath:"#/properties/contains/oneOf/1/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema44.properties.contains.oneOf[1].items,data:data9};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/contains/" + i0,schemaPath:"#/properties/contains/oneOf/1/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.contains.oneOf[1].items.type,parentSchema:schema44.properties.contains.oneOf[1].items,data:data9};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
}
else {
const err23 = {instancePath:instancePath+"/contains",schemaPath:"#/properties/contains/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema44.properties.contains.oneOf[1].type,parentSchema:schema44.properties.contains.oneOf[1],data:data8};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
var _valid0 = _errs26 === errors;
if(_valid0 && valid5){
valid5 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid5 = true;
passing0 = 1;
}
}
if(!valid5){
const err24 = {instancePath:instancePath+"/contains",schemaPath:"#/properties/contains/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema44.properties.contains.oneOf,parentSchema:schema44.properties.contains,data:data8};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
else {
errors = _errs23;
if(vErrors !== null){
if(_errs23){
vErrors.length = _errs23;
}
else {
vErrors = null;
}
}
}
}
if(data.command !== undefined){
if(!(validate29(data.command, {instancePath:instancePath+"/command",parentData:data,parentDataProperty:"command",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
errors = vErrors.length;
}
}
if(data.judge !== undefined){
let data11 = data.judge;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
if(data11.rubric === undefined){
const err25 = {instancePath:instancePath+"/judge",schemaPath:"#/properties/judge/required",keyword:"required",params:{missingProperty: "rubric"},message:"must have required property '"+"rubric"+"'",schema:schema44.properties.judge.required,parentSchema:schema44.properties.judge,data:data11};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
for(const key2 in data11){
if(!(((key2 === "rubric") || (key2 === "min_score")) || (key2 === "model"))){
const err26 = {instancePath:instancePath+"/judge",schemaPath:"#/properties/judge/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema44.properties.judge,data:data11};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data11.rubric !== undefined){
let data12 = data11.rubric;
if(typeof data12 !== "string"){
const err27 = {instancePath:instancePath+"/judge/rubric",schemaPath:"#/properties/judge/properties/rubric/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.judge.properties.rubric.type,parentSchema:schema44.properties.judge.properties.rubric,data:data12};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
if(data11.min_score !== undefined){
let data13 = data11.min_score;
if(typeof data13 == "number"){
if(data13 > 10 || isNaN(data13)){
const err28 = {instancePath:instancePath+"/judge/min_score",schemaPath:"#/properties/judge/properties/min_score/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema44.properties.judge.properties.min_score,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
if(data13 < 0 || isNaN(data13)){
const err29 = {instancePath:instancePath+"/judge/min_score",schemaPath:"#/properties/judge/properties/min_score/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema44.properties.judge.properties.min_score,data:data13};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/judge/min_score",schemaPath:"#/properties/judge/properties/min_score/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema44.properties.judge.properties.min_score.type,parentSchema:schema44.properties.judge.properties.min_score,data:data13};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data11.model !== undefined){
let data14 = data11.model;
const _errs40 = errors;
let valid10 = false;
let passing1 = null;
const _errs41 = errors;
if(typeof data14 === "string"){
if(func2(data14) < 1){
const err31 = {instancePath:instancePath+"/judge/model",schemaPath:"#/$defs/ModelRef/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[0],data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/judge/model",schemaPath:"#/$defs/ModelRef/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[0].type,parentSchema:schema40.oneOf[0],data:data14};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
var _valid1 = _errs41 === errors;
if(_valid1){
valid10 = true;
passing1 = 0;
}
const _errs43 = errors;
if(data14 && typeof data14 == "object" && !Array.isArray(data14)){
for(const key3 in data14){
if(!((((key3 === "name") || (key3 === "provider")) || (key3 === "temperature")) || (key3 === "max_tokens"))){
const err33 = {instancePath:instancePath+"/judge/model",schemaPath:"#/$defs/ModelRef/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema40.oneOf[1],data:data14};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data14.name !== undefined){
let data15 = data14.name;
if(typeof data15 === "string"){
if(func2(data15) < 1){
const err34 = {instancePath:instancePath+"/judge/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[1].properties.name,data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
else {
const err35 = {instancePath:instancePath+"/judge/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.name.type,parentSchema:schema40.oneOf[1].properties.name,data:data15};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data14.provider !== undefined){
let data16 = data14.provider;
if(typeof data16 !== "string"){
const err36 = {instancePath:instancePath+"/judge/model/provider",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/provider/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.provider.type,parentSchema:schema40.oneOf[1].properties.provider,data:data16};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
if(data14.temperature !== undefined){
let data17 = data14.temperature;
if(typeof data17 == "number"){
if(data17 > 2 || isNaN(data17)){
const err37 = {instancePath:instancePath+"/judge/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema40.oneOf[1].properties.temperature,data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
if(data17 < 0 || isNaN(data17)){
const err38 = {instancePath:instancePath+"/judge/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.oneOf[1].properties.temperature,data:data17};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
else {
const err39 = {instancePath:instancePath+"/judge/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema40.oneOf[1].properties.temperature.type,parentSchema:schema40.oneOf[1].properties.temperature,data:data17};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data14.max_tokens !== undefined){
let data18 = data14.max_tokens;
if(!((typeof data18 == "number") && (!(data18 % 1) && !isNaN(data18)))){
const err40 = {instancePath:instancePath+"/judge/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema40.oneOf[1].properties.max_tokens.type,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data18};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
if(typeof data18 == "number"){
if(data18 < 1 || isNaN(data18)){
const err41 = {instancePath:instancePath+"/judge/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data18};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
}
}
}
else {
const err42 = {instancePath:instancePath+"/judge/model",schemaPath:"#/$defs/ModelRef/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.oneOf[1].type,parentSchema:schema40.oneOf[1],data:data14};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
var _valid1 = _errs43 === errors;
if(_valid1 && valid10){
valid10 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid10 = true;
passing1 = 1;
}
}
if(!valid10){
const err43 = {instancePath:instancePath+"/judge/model",schemaPath:"#/$defs/ModelRef/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf",schema:schema40.oneOf,parentSchema:schema40,data:data14};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
else {
errors = _errs40;
if(vErrors !== null){
if(_errs40){
vErrors.length = _errs40;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err44 = {instancePath:instancePath+"/judge",schemaPath:"#/properties/judge/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.properties.judge.type,parentSchema:schema44.properties.judge,data:data11};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data.human !== undefined){
let data19 = data.human;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
for(const key4 in data19){
if(!((key4 === "prompt") || (key4 === "enabled"))){
const err45 = {instancePath:instancePath+"/human",schemaPath:"#/properties/human/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema44.properties.human,data:data19};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
}
if(data19.prompt !== undefined){
let data20 = data19.prompt;
if(typeof data20 !== "string"){
const err46 = {instancePath:instancePath+"/human/prompt",schemaPath:"#/properties/human/properties/prompt/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema44.properties.human.properties.prompt.type,parentSchema:schema44.properties.human.properties.prompt,data:data20};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
}
if(data19.enabled !== undefined){
let data21 = data19.enabled;
if(typeof data21 === "string"){
if(func2(data21) < 1){
const err47 = {instancePath:instancePath+"/human/enabled",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data21};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
}
else {
const err48 = {instancePath:instancePath+"/human/enabled",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data21};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
}
else {
const err49 = {instancePath:instancePath+"/human",schemaPath:"#/properties/human/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.properties.human.type,parentSchema:schema44.properties.human,data:data19};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data.on_fail !== undefined){
if(!(validate31(data.on_fail, {instancePath:instancePath+"/on_fail",parentData:data,parentDataProperty:"on_fail",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
errors = vErrors.length;
}
}
}
else {
const err50 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema44.type,parentSchema:schema44,data};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
validate28.errors = vErrors;
return errors === 0;
}
validate28.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate27.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((key0 === "description") || (key0 === "schema")) || (key0 === "gates"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema43,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.description !== undefined){
let data0 = data.description;
if(typeof data0 !== "string"){
const err1 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema43.properties.description.type,parentSchema:schema43.properties.description,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.schema !== undefined){
let data1 = data.schema;
if(!(data1 && typeof data1 == "object" && !Array.isArray(data1))){
const err2 = {instancePath:instancePath+"/schema",schemaPath:"#/properties/schema/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.properties.schema.type,parentSchema:schema43.properties.schema,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.gates !== undefined){
let data2 = data.gates;
if(Array.isArray(data2)){
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
if(!(validate28(data2[i0], {instancePath:instancePath+"/gates/" + i0,parentData:data2,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);
errors = vErrors.length;
}
}
}
else {
const err3 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema43.properties.gates.type,parentSchema:schema43.properties.gates,data:data2};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
}
else {
const err4 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema43.type,parentSchema:schema43,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
validate27.errors = vErrors;
return errors === 0;
}
validate27.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema57 = {"description":"A message published before round 1.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"content":{"description":"Text of the message (a template over `inputs`).","$ref":"#/$defs/Template"},"payload":{"description":"Structured payload; string values are templates over `inputs`."},"to":{"description":"Deliver only to this role (by id), whatever it watches.","$ref":"#/$defs/Identifier"},"if":{"description":"Publish this message only when this CEL condition over `inputs` is true (e.g. `inputs.bug != \"\"`); absent: always.","$ref":"#/$defs/Expression"}}};

function validate35(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate35.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema57.required,parentSchema:schema57,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "content")) || (key0 === "payload")) || (key0 === "to")) || (key0 === "if"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema57,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
if(typeof data0 === "string"){
if(!pattern11.test(data0)){
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.content !== undefined){
let data1 = data.content;
if(typeof data1 !== "string"){
const err4 = {instancePath:instancePath+"/content",schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.to !== undefined){
let data2 = data.to;
if(typeof data2 === "string"){
if(!pattern6.test(data2)){
const err5 = {instancePath:instancePath+"/to",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
else {
const err6 = {instancePath:instancePath+"/to",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.if !== undefined){
let data3 = data.if;
if(typeof data3 === "string"){
if(func2(data3) < 1){
const err7 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
else {
const err8 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema57.type,parentSchema:schema57,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
validate35.errors = vErrors;
return errors === 0;
}
validate35.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema63 = {"description":"A member of the team. Its actions' templates and the conditions checked while an action runs (`foreach`, `precondition`, an artifact's `if` and `foreach`, a gate's `assert`) see it as `role` (`id`, `profile`, `goal`, `constraints`, and `turn`: how many times the role has acted in this run, this time included, 1 on its first). `when.if` and `stop_when.if` are checked before any role acts and see the message instead: count exchanges there with `thread.turn`.","type":"object","additionalProperties":false,"required":["profile","watch","actions"],"properties":{"profile":{"description":"Who the role is (e.g. `Product Manager`); the start of its system prompt.","type":"string","minLength":1},"goal":{"description":"What the role is trying to achieve.","type":"string"},"constraints":{"description":"Rules the role follows, added to its system prompt.","oneOf":[{"type":"string"},{"type":"array","items":{"type":"string"}}]},"watch":{"description":"Message types this role receives. A message also reaches a role that it addresses with `to`.","type":"array","items":{"$ref":"#/$defs/MessageTypeName"}},"react":{"$ref":"#/$defs/React"},"model":{"$ref":"#/$defs/ModelRef"},"memory":{"$ref":"#/$defs/Memory"},"actions":{"description":"What the role can do, in order.","type":"array","minItems":1,"items":{"$ref":"#/$defs/Action"}}}};
const schema65 = {"description":"How the role chooses actions when news arrives.","type":"object","additionalProperties":false,"properties":{"mode":{"description":"`by_order`: every action whose `when` matches runs, in order. `react`: the model picks the next action or `done`. `plan_and_act`: the model writes a plan of actions, then the runner executes it.","enum":["by_order","react","plan_and_act"],"default":"by_order"},"max_react_loop":{"description":"`react` mode: most actions chosen for one piece of news.","type":"integer","minimum":1,"default":5},"max_replans":{"description":"`plan_and_act` mode: how often an invalid plan is asked for again.","type":"integer","minimum":0,"default":2}}};
const schema67 = {"description":"Which past messages the role's prompts see as `memory`, so prompts stay bounded.","type":"object","additionalProperties":false,"properties":{"policy":{"description":"`window`: the last `size` messages the role received or sent. `chain`: only the messages that caused the trigger. `none`: nothing.","enum":["window","chain","none"],"default":"window"},"size":{"description":"`window`: how many messages.","type":"integer","minimum":1,"default":10}}};
const schema68 = {"description":"One step a role can take: a prompt to a model (or a command), an output message, artifacts and gates. Exactly one of `prompt` and `run`.","type":"object","additionalProperties":false,"required":["id","output"],"properties":{"id":{"description":"Unique within the SOP.","$ref":"#/$defs/Identifier"},"description":{"description":"What the action does; shown to the model in `react` and `plan_and_act` modes.","type":"string"},"when":{"$ref":"#/$defs/When"},"foreach":{"$ref":"#/$defs/Foreach"},"prompt":{"description":"The instruction sent to the model.","$ref":"#/$defs/TemplateSource"},"reads":{"description":"Workspace files this action reads into its template context as `files[\"path\"]`: a path (a template; a missing file reads as empty text), `{ each: <CEL list of paths> }` or `{ glob: \"src/**/*.py\" }` (matches in path order). A list or glob reads at most `max_files` files, and an action's reads total at most 4 MB; more is an error naming the entry.","type":"array","items":{"$ref":"#/$defs/ReadsEntry"}},"run":{"description":"Run a command instead of calling a model. The output payload is `{command, exit_code, passed, stdout, stderr, duration_ms}`: stdout and stderr are text, their last 8 KiB without terminal escape sequences (colours), other control characters as U+FFFD, and secrets (API keys, `${env:NAME}` values, secret inputs) masked as `***` before that cut, and before the 2,000 characters the message content and a gate's feedback keep, so no cut leaves part of one.","$ref":"#/$defs/CommandSpec"},"output":{"$ref":"#/$defs/Output"},"artifacts":{"description":"Files written from the output.","type":"array","items":{"$ref":"#/$defs/Artifact"}},"gates":{"description":"Checks on the output, in order; the first failing one decides.","type":"array","items":{"$ref":"#/$defs/Gate"}},"tools":{"description":"Tools the model may call during this action: built-in (`fs.read`, `fs.write`, `fs.list`, `fs.search`, `shell`, `http.get`), declared under `tools`, or MCP (`server.tool`, `server.*`).","type":"array","items":{"type":"string","pattern":"^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$"}},"max_tool_calls":{"description":"Most tool calls in one run of this action (default `settings.tools.max_calls`); then the model must answer.","type":"integer","minimum":1},"model":{"$ref":"#/$defs/ModelRef"},"max_runs":{"description":"Most times this action runs in one run (bounds fix loops); news beyond it is ignored with an event. A whole number, or `{ input: NAME }` to take it from an input when the run starts.","oneOf":[{"type":"integer","minimum":1},{"$ref":"#/$defs/InputBound"}]},"precondition":{"description":"A check made before the model is called (or the command run): exactly one of `assert` and `command`. When it fails the action fails (`PRECONDITION_FAILED`, exit 9) and nothing is paid for.","type":"object","additionalProperties":false,"properties":{"assert":{"description":"A CEL condition over `message`, `inputs`, `role`, `files` (what `reads` read) and `item`/`index` in a foreach action.","$ref":"#/$defs/Expression"},"command":{"description":"A command that must exit 0 (argv templates, as in `run`).","$ref":"#/$defs/CommandSpec"}}}}};
const pattern25 = new RegExp("^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$", "u");
const schema70 = {"description":"Which news triggers the action.","type":"object","additionalProperties":false,"properties":{"type":{"description":"Message type(s) that trigger the action. Default: any type the role watches.","oneOf":[{"$ref":"#/$defs/MessageTypeName"},{"type":"array","minItems":1,"items":{"$ref":"#/$defs/MessageTypeName"}}]},"if":{"$ref":"#/$defs/Expression"},"batch":{"description":"Run once for all matching messages delivered in the same round (they are in `messages`), instead of once per message.","type":"boolean","default":false}}};

function validate39(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate39.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(((key0 === "type") || (key0 === "if")) || (key0 === "batch"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema70,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
const _errs3 = errors;
let valid1 = false;
let passing0 = null;
const _errs4 = errors;
if(typeof data0 === "string"){
if(!pattern11.test(data0)){
const err1 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
else {
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
var _valid0 = _errs4 === errors;
if(_valid0){
valid1 = true;
passing0 = 0;
}
const _errs7 = errors;
if(Array.isArray(data0)){
if(data0.length < 1){
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema70.properties.type.oneOf[1],data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
const len0 = data0.length;
for(let i0=0; i0<len0; i0++){
let data1 = data0[i0];
if(typeof data1 === "string"){
if(!pattern11.test(data1)){
const err4 = {instancePath:instancePath+"/type/" + i0,schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/type/" + i0,schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema70.properties.type.oneOf[1].type,parentSchema:schema70.properties.type.oneOf[1],data:data0};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
var _valid0 = _errs7 === errors;
if(_valid0 && valid1){
valid1 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid1 = true;
passing0 = 1;
}
}
if(!valid1){
const err7 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema70.properties.type.oneOf,parentSchema:schema70.properties.type,data:data0};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
else {
errors = _errs3;
if(vErrors !== null){
if(_errs3){
vErrors.length = _errs3;
}
else {
vErrors = null;
}
}
}
}
if(data.if !== undefined){
let data2 = data.if;
if(typeof data2 === "string"){
if(func2(data2) < 1){
const err8 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.batch !== undefined){
let data3 = data.batch;
if(typeof data3 !== "boolean"){
const err10 = {instancePath:instancePath+"/batch",schemaPath:"#/properties/batch/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema70.properties.batch.type,parentSchema:schema70.properties.batch,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema70.type,parentSchema:schema70,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
validate39.errors = vErrors;
return errors === 0;
}
validate39.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema74 = {"description":"Run the action once per item of a list (a CEL expression over the trigger, e.g. `message.payload.tasks`).","oneOf":[{"$ref":"#/$defs/Expression"},{"type":"object","additionalProperties":false,"required":["items"],"properties":{"items":{"$ref":"#/$defs/Expression"},"concurrency":{"description":"How many items run at the same time (1 = in order).","type":"integer","minimum":1,"default":1}}}]};

function validate41(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate41.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(typeof data === "string"){
if(func2(data) < 1){
const err0 = {instancePath,schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
else {
const err1 = {instancePath,schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs4 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.items === undefined){
const err2 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "items"},message:"must have required property '"+"items"+"'",schema:schema74.oneOf[1].required,parentSchema:schema74.oneOf[1],data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "items") || (key0 === "concurrency"))){
const err3 = {instancePath,schemaPath:"#/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema74.oneOf[1],data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.items !== undefined){
let data0 = data.items;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err4 = {instancePath:instancePath+"/items",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/items",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.concurrency !== undefined){
let data1 = data.concurrency;
if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){
const err6 = {instancePath:instancePath+"/concurrency",schemaPath:"#/oneOf/1/properties/concurrency/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema74.oneOf[1].properties.concurrency.type,parentSchema:schema74.oneOf[1].properties.concurrency,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(typeof data1 == "number"){
if(data1 < 1 || isNaN(data1)){
const err7 = {instancePath:instancePath+"/concurrency",schemaPath:"#/oneOf/1/properties/concurrency/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema74.oneOf[1].properties.concurrency,data:data1};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
}
else {
const err8 = {instancePath,schemaPath:"#/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema74.oneOf[1].type,parentSchema:schema74.oneOf[1],data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
var _valid0 = _errs4 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
var props0 = true;
}
}
if(!valid0){
const err9 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema74.oneOf,parentSchema:schema74,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate41.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate41.evaluated = {"dynamicProps":true,"dynamicItems":false};

const schema77 = {"description":"A template given inline, or `{ file: path }` read from a file next to the SOP.","oneOf":[{"$ref":"#/$defs/Template"},{"$ref":"#/$defs/FileRef"}]};
const schema79 = {"description":"A file next to the SOP, relative to the SOP's folder; it must stay inside that folder tree.","type":"object","additionalProperties":false,"required":["file"],"properties":{"file":{"description":"Path relative to the SOP file's folder.","type":"string","minLength":1}}};

function validate43(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate43.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(typeof data !== "string"){
const err0 = {instancePath,schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs4 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.file === undefined){
const err1 = {instancePath,schemaPath:"#/$defs/FileRef/required",keyword:"required",params:{missingProperty: "file"},message:"must have required property '"+"file"+"'",schema:schema79.required,parentSchema:schema79,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(key0 === "file")){
const err2 = {instancePath,schemaPath:"#/$defs/FileRef/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema79,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.file !== undefined){
let data0 = data.file;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err3 = {instancePath:instancePath+"/file",schemaPath:"#/$defs/FileRef/properties/file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema79.properties.file,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/file",schemaPath:"#/$defs/FileRef/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema79.properties.file.type,parentSchema:schema79.properties.file,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath,schemaPath:"#/$defs/FileRef/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema79.type,parentSchema:schema79,data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
var _valid0 = _errs4 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
var props0 = true;
}
}
if(!valid0){
const err6 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema77.oneOf,parentSchema:schema77,data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate43.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate43.evaluated = {"dynamicProps":true,"dynamicItems":false};

const schema80 = {"description":"One entry of `reads`: a path template, `{ path, required: true }` for a file that must exist (a missing one fails the action with `READ_MISSING`, exit 9, before the model is called), a CEL list of paths, or a glob.","oneOf":[{"$ref":"#/$defs/Template"},{"type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Workspace-relative path (a template).","$ref":"#/$defs/Template"},"required":{"description":"The file must exist when the action runs.","type":"boolean","default":false}}},{"type":"object","additionalProperties":false,"required":["each"],"properties":{"each":{"description":"A CEL expression giving a list of workspace paths (e.g. `item.depends_on`); an empty list reads nothing.","$ref":"#/$defs/Expression"},"max_files":{"$ref":"#/$defs/ReadsMaxFiles"}}},{"type":"object","additionalProperties":false,"required":["glob"],"properties":{"glob":{"description":"A glob over the workspace (a template), e.g. `src/**/*.py`: `*`, `**`, `?`, `[abc]`, `{a,b}`; hidden files and folders, and symlinks, are not matched.","$ref":"#/$defs/Template"},"max_files":{"$ref":"#/$defs/ReadsMaxFiles"}}}]};
const schema84 = {"description":"Most files this entry reads (default 50); more is an error, so a prompt never silently misses a file.","type":"integer","minimum":1,"maximum":1000,"default":50};

function validate45(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate45.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
const _errs0 = errors;
let valid0 = false;
let passing0 = null;
const _errs1 = errors;
if(typeof data !== "string"){
const err0 = {instancePath,schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
var _valid0 = _errs1 === errors;
if(_valid0){
valid0 = true;
passing0 = 0;
}
const _errs4 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err1 = {instancePath,schemaPath:"#/oneOf/1/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema80.oneOf[1].required,parentSchema:schema80.oneOf[1],data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "path") || (key0 === "required"))){
const err2 = {instancePath,schemaPath:"#/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema80.oneOf[1],data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 !== "string"){
const err3 = {instancePath:instancePath+"/path",schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.required !== undefined){
let data1 = data.required;
if(typeof data1 !== "boolean"){
const err4 = {instancePath:instancePath+"/required",schemaPath:"#/oneOf/1/properties/required/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema80.oneOf[1].properties.required.type,parentSchema:schema80.oneOf[1].properties.required,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
}
else {
const err5 = {instancePath,schemaPath:"#/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema80.oneOf[1].type,parentSchema:schema80.oneOf[1],data};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
var _valid0 = _errs4 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid0 = true;
passing0 = 1;
var props0 = true;
}
const _errs12 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.each === undefined){
const err6 = {instancePath,schemaPath:"#/oneOf/2/required",keyword:"required",params:{missingProperty: "each"},message:"must have required property '"+"each"+"'",schema:schema80.oneOf[2].required,parentSchema:schema80.oneOf[2],data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
for(const key1 in data){
if(!((key1 === "each") || (key1 === "max_files"))){
const err7 = {instancePath,schemaPath:"#/oneOf/2/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema80.oneOf[2],data};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.each !== undefined){
let data2 = data.each;
if(typeof data2 === "string"){
if(func2(data2) < 1){
const err8 = {instancePath:instancePath+"/each",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/each",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.max_files !== undefined){
let data3 = data.max_files;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err10 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema84.type,parentSchema:schema84,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 > 1000 || isNaN(data3)){
const err11 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema84,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(data3 < 1 || isNaN(data3)){
const err12 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema84,data:data3};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
}
else {
const err13 = {instancePath,schemaPath:"#/oneOf/2/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema80.oneOf[2].type,parentSchema:schema80.oneOf[2],data};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
var _valid0 = _errs12 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 2];
}
else {
if(_valid0){
valid0 = true;
passing0 = 2;
if(props0 !== true){
props0 = true;
}
}
const _errs21 = errors;
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.glob === undefined){
const err14 = {instancePath,schemaPath:"#/oneOf/3/required",keyword:"required",params:{missingProperty: "glob"},message:"must have required property '"+"glob"+"'",schema:schema80.oneOf[3].required,parentSchema:schema80.oneOf[3],data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
for(const key2 in data){
if(!((key2 === "glob") || (key2 === "max_files"))){
const err15 = {instancePath,schemaPath:"#/oneOf/3/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema80.oneOf[3],data};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data.glob !== undefined){
let data4 = data.glob;
if(typeof data4 !== "string"){
const err16 = {instancePath:instancePath+"/glob",schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data4};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.max_files !== undefined){
let data5 = data.max_files;
if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){
const err17 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema84.type,parentSchema:schema84,data:data5};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
if(typeof data5 == "number"){
if(data5 > 1000 || isNaN(data5)){
const err18 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1000},message:"must be <= 1000",schema:1000,parentSchema:schema84,data:data5};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(data5 < 1 || isNaN(data5)){
const err19 = {instancePath:instancePath+"/max_files",schemaPath:"#/$defs/ReadsMaxFiles/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema84,data:data5};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/oneOf/3/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema80.oneOf[3].type,parentSchema:schema80.oneOf[3],data};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
var _valid0 = _errs21 === errors;
if(_valid0 && valid0){
valid0 = false;
passing0 = [passing0, 3];
}
else {
if(_valid0){
valid0 = true;
passing0 = 3;
if(props0 !== true){
props0 = true;
}
}
}
}
}
if(!valid0){
const err21 = {instancePath,schemaPath:"#/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema80.oneOf,parentSchema:schema80,data};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
else {
errors = _errs0;
if(vErrors !== null){
if(_errs0){
vErrors.length = _errs0;
}
else {
vErrors = null;
}
}
}
validate45.errors = vErrors;
evaluated0.props = props0;
return errors === 0;
}
validate45.evaluated = {"dynamicProps":true,"dynamicItems":false};

const schema87 = {"description":"The message an action publishes.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"format":{"description":"`text`/`markdown`: as written. `json`: parsed and validated against the type's schema. `code`: fences stripped.","enum":["text","markdown","json","code"],"default":"text"},"language":{"description":"`format: code`: the language. Default: from the first artifact's file extension.","type":"string"},"to":{"description":"Address the message to this role only: a role id, or a template over the trigger and the output (`{{ message.from }}`, `{{ payload.assignee }}`) that must render to a role id.","$ref":"#/$defs/Recipient"},"max_attempts":{"description":"Attempts when the output fails validation (re-asked with the errors).","type":"integer","minimum":1,"maximum":10}}};
const schema89 = {"description":"A role id, or one template output that renders to a role id at run time (`{{ message.from }}` replies to the sender, `{{ payload.assignee }}` delegates by the output's payload).","type":"string","pattern":"^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$"};
const pattern24 = new RegExp("^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$", "u");

function validate48(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate48.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema87.required,parentSchema:schema87,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "format")) || (key0 === "language")) || (key0 === "to")) || (key0 === "max_attempts"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema87,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
if(typeof data0 === "string"){
if(!pattern11.test(data0)){
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.format !== undefined){
let data1 = data.format;
if(!((((data1 === "text") || (data1 === "markdown")) || (data1 === "json")) || (data1 === "code"))){
const err4 = {instancePath:instancePath+"/format",schemaPath:"#/properties/format/enum",keyword:"enum",params:{allowedValues: schema87.properties.format.enum},message:"must be equal to one of the allowed values",schema:schema87.properties.format.enum,parentSchema:schema87.properties.format,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.language !== undefined){
let data2 = data.language;
if(typeof data2 !== "string"){
const err5 = {instancePath:instancePath+"/language",schemaPath:"#/properties/language/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema87.properties.language.type,parentSchema:schema87.properties.language,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.to !== undefined){
let data3 = data.to;
if(typeof data3 === "string"){
if(!pattern24.test(data3)){
const err6 = {instancePath:instancePath+"/to",schemaPath:"#/$defs/Recipient/pattern",keyword:"pattern",params:{pattern: "^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$"},message:"must match pattern \""+"^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$"+"\"",schema:"^([a-z][a-z0-9_]*|\\{\\{[^{}]+\\}\\})$",parentSchema:schema89,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/to",schemaPath:"#/$defs/Recipient/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema89.type,parentSchema:schema89,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.max_attempts !== undefined){
let data4 = data.max_attempts;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
const err8 = {instancePath:instancePath+"/max_attempts",schemaPath:"#/properties/max_attempts/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema87.properties.max_attempts.type,parentSchema:schema87.properties.max_attempts,data:data4};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(typeof data4 == "number"){
if(data4 > 10 || isNaN(data4)){
const err9 = {instancePath:instancePath+"/max_attempts",schemaPath:"#/properties/max_attempts/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema87.properties.max_attempts,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
if(data4 < 1 || isNaN(data4)){
const err10 = {instancePath:instancePath+"/max_attempts",schemaPath:"#/properties/max_attempts/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema87.properties.max_attempts,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
}
else {
const err11 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema87.type,parentSchema:schema87,data};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
validate48.errors = vErrors;
return errors === 0;
}
validate48.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema90 = {"description":"A file written to the workspace from the action's output. Paths never leave the workspace.","type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Workspace-relative path (a template).","$ref":"#/$defs/Template"},"content":{"description":"File content (a template; default `{{ output }}`).","$ref":"#/$defs/Template"},"template":{"description":"File content from a template file next to the SOP.","$ref":"#/$defs/FileRef"},"foreach":{"description":"Write one file per item of this list (a CEL expression, e.g. `output.files`); `item` is in scope.","$ref":"#/$defs/Expression"},"if":{"description":"Write the artifact only when this CEL condition holds (same variables as `foreach`: `output`, `payload`, `message`, `inputs`, `role`, and `item`/`index` in a foreach action); evaluated once, before any `foreach`.","$ref":"#/$defs/Expression"},"mode":{"description":"`overwrite` replaces the file; `append` adds the rendered content to the end of it (a transcript built turn by turn), once the output has passed its gates: an attempt a gate sends back is not appended (`overwrite` files are written for each attempt, before the gates, so a gate command can check them). The run's first append to a path starts the file anew; a resumed run continues from what its last completed round wrote, so no append is doubled.","enum":["overwrite","append"],"default":"overwrite"}}};

function validate50(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate50.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.path === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema90.required,parentSchema:schema90,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((((key0 === "path") || (key0 === "content")) || (key0 === "template")) || (key0 === "foreach")) || (key0 === "if")) || (key0 === "mode"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema90,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.path !== undefined){
let data0 = data.path;
if(typeof data0 !== "string"){
const err2 = {instancePath:instancePath+"/path",schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.content !== undefined){
let data1 = data.content;
if(typeof data1 !== "string"){
const err3 = {instancePath:instancePath+"/content",schemaPath:"#/$defs/Template/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema49.type,parentSchema:schema49,data:data1};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.template !== undefined){
let data2 = data.template;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.file === undefined){
const err4 = {instancePath:instancePath+"/template",schemaPath:"#/$defs/FileRef/required",keyword:"required",params:{missingProperty: "file"},message:"must have required property '"+"file"+"'",schema:schema79.required,parentSchema:schema79,data:data2};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
for(const key1 in data2){
if(!(key1 === "file")){
const err5 = {instancePath:instancePath+"/template",schemaPath:"#/$defs/FileRef/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema79,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data2.file !== undefined){
let data3 = data2.file;
if(typeof data3 === "string"){
if(func2(data3) < 1){
const err6 = {instancePath:instancePath+"/template/file",schemaPath:"#/$defs/FileRef/properties/file/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema79.properties.file,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
else {
const err7 = {instancePath:instancePath+"/template/file",schemaPath:"#/$defs/FileRef/properties/file/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema79.properties.file.type,parentSchema:schema79.properties.file,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
}
else {
const err8 = {instancePath:instancePath+"/template",schemaPath:"#/$defs/FileRef/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema79.type,parentSchema:schema79,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.foreach !== undefined){
let data4 = data.foreach;
if(typeof data4 === "string"){
if(func2(data4) < 1){
const err9 = {instancePath:instancePath+"/foreach",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data4};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/foreach",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.if !== undefined){
let data5 = data.if;
if(typeof data5 === "string"){
if(func2(data5) < 1){
const err11 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data.mode !== undefined){
let data6 = data.mode;
if(!((data6 === "overwrite") || (data6 === "append"))){
const err13 = {instancePath:instancePath+"/mode",schemaPath:"#/properties/mode/enum",keyword:"enum",params:{allowedValues: schema90.properties.mode.enum},message:"must be equal to one of the allowed values",schema:schema90.properties.mode.enum,parentSchema:schema90.properties.mode,data:data6};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
else {
const err14 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema90.type,parentSchema:schema90,data};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
validate50.errors = vErrors;
return errors === 0;
}
validate50.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate38(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate38.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.id === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "id"},message:"must have required property '"+"id"+"'",schema:schema68.required,parentSchema:schema68,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.output === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "output"},message:"must have required property '"+"output"+"'",schema:schema68.required,parentSchema:schema68,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema68.properties, key0))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema68,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.id !== undefined){
let data0 = data.id;
if(typeof data0 === "string"){
if(!pattern6.test(data0)){
const err3 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
else {
const err4 = {instancePath:instancePath+"/id",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.description !== undefined){
let data1 = data.description;
if(typeof data1 !== "string"){
const err5 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema68.properties.description.type,parentSchema:schema68.properties.description,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.when !== undefined){
if(!(validate39(data.when, {instancePath:instancePath+"/when",parentData:data,parentDataProperty:"when",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate39.errors : vErrors.concat(validate39.errors);
errors = vErrors.length;
}
}
if(data.foreach !== undefined){
if(!(validate41(data.foreach, {instancePath:instancePath+"/foreach",parentData:data,parentDataProperty:"foreach",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate41.errors : vErrors.concat(validate41.errors);
errors = vErrors.length;
}
}
if(data.prompt !== undefined){
if(!(validate43(data.prompt, {instancePath:instancePath+"/prompt",parentData:data,parentDataProperty:"prompt",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate43.errors : vErrors.concat(validate43.errors);
errors = vErrors.length;
}
}
if(data.reads !== undefined){
let data5 = data.reads;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
if(!(validate45(data5[i0], {instancePath:instancePath+"/reads/" + i0,parentData:data5,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate45.errors : vErrors.concat(validate45.errors);
errors = vErrors.length;
}
}
}
else {
const err6 = {instancePath:instancePath+"/reads",schemaPath:"#/properties/reads/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema68.properties.reads.type,parentSchema:schema68.properties.reads,data:data5};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.run !== undefined){
if(!(validate29(data.run, {instancePath:instancePath+"/run",parentData:data,parentDataProperty:"run",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
errors = vErrors.length;
}
}
if(data.output !== undefined){
if(!(validate48(data.output, {instancePath:instancePath+"/output",parentData:data,parentDataProperty:"output",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate48.errors : vErrors.concat(validate48.errors);
errors = vErrors.length;
}
}
if(data.artifacts !== undefined){
let data9 = data.artifacts;
if(Array.isArray(data9)){
const len1 = data9.length;
for(let i1=0; i1<len1; i1++){
if(!(validate50(data9[i1], {instancePath:instancePath+"/artifacts/" + i1,parentData:data9,parentDataProperty:i1,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate50.errors : vErrors.concat(validate50.errors);
errors = vErrors.length;
}
}
}
else {
const err7 = {instancePath:instancePath+"/artifacts",schemaPath:"#/properties/artifacts/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema68.properties.artifacts.type,parentSchema:schema68.properties.artifacts,data:data9};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.gates !== undefined){
let data11 = data.gates;
if(Array.isArray(data11)){
const len2 = data11.length;
for(let i2=0; i2<len2; i2++){
if(!(validate28(data11[i2], {instancePath:instancePath+"/gates/" + i2,parentData:data11,parentDataProperty:i2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);
errors = vErrors.length;
}
}
}
else {
const err8 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema68.properties.gates.type,parentSchema:schema68.properties.gates,data:data11};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.tools !== undefined){
let data13 = data.tools;
if(Array.isArray(data13)){
const len3 = data13.length;
for(let i3=0; i3<len3; i3++){
let data14 = data13[i3];
if(typeof data14 === "string"){
if(!pattern25.test(data14)){
const err9 = {instancePath:instancePath+"/tools/" + i3,schemaPath:"#/properties/tools/items/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$"+"\"",schema:"^[a-z][a-z0-9_]*(\\.([A-Za-z0-9_-]+|\\*))?$",parentSchema:schema68.properties.tools.items,data:data14};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
else {
const err10 = {instancePath:instancePath+"/tools/" + i3,schemaPath:"#/properties/tools/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema68.properties.tools.items.type,parentSchema:schema68.properties.tools.items,data:data14};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema68.properties.tools.type,parentSchema:schema68.properties.tools,data:data13};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data.max_tool_calls !== undefined){
let data15 = data.max_tool_calls;
if(!((typeof data15 == "number") && (!(data15 % 1) && !isNaN(data15)))){
const err12 = {instancePath:instancePath+"/max_tool_calls",schemaPath:"#/properties/max_tool_calls/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema68.properties.max_tool_calls.type,parentSchema:schema68.properties.max_tool_calls,data:data15};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(typeof data15 == "number"){
if(data15 < 1 || isNaN(data15)){
const err13 = {instancePath:instancePath+"/max_tool_calls",schemaPath:"#/properties/max_tool_calls/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema68.properties.max_tool_calls,data:data15};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
}
if(data.model !== undefined){
let data16 = data.model;
const _errs29 = errors;
let valid11 = false;
let passing0 = null;
const _errs30 = errors;
if(typeof data16 === "string"){
if(func2(data16) < 1){
const err14 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[0],data:data16};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
else {
const err15 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[0].type,parentSchema:schema40.oneOf[0],data:data16};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
var _valid0 = _errs30 === errors;
if(_valid0){
valid11 = true;
passing0 = 0;
}
const _errs32 = errors;
if(data16 && typeof data16 == "object" && !Array.isArray(data16)){
for(const key1 in data16){
if(!((((key1 === "name") || (key1 === "provider")) || (key1 === "temperature")) || (key1 === "max_tokens"))){
const err16 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema40.oneOf[1],data:data16};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data16.name !== undefined){
let data17 = data16.name;
if(typeof data17 === "string"){
if(func2(data17) < 1){
const err17 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[1].properties.name,data:data17};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
else {
const err18 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.name.type,parentSchema:schema40.oneOf[1].properties.name,data:data17};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data16.provider !== undefined){
let data18 = data16.provider;
if(typeof data18 !== "string"){
const err19 = {instancePath:instancePath+"/model/provider",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/provider/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.provider.type,parentSchema:schema40.oneOf[1].properties.provider,data:data18};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
if(data16.temperature !== undefined){
let data19 = data16.temperature;
if(typeof data19 == "number"){
if(data19 > 2 || isNaN(data19)){
const err20 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema40.oneOf[1].properties.temperature,data:data19};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
if(data19 < 0 || isNaN(data19)){
const err21 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.oneOf[1].properties.temperature,data:data19};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema40.oneOf[1].properties.temperature.type,parentSchema:schema40.oneOf[1].properties.temperature,data:data19};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
}
if(data16.max_tokens !== undefined){
let data20 = data16.max_tokens;
if(!((typeof data20 == "number") && (!(data20 % 1) && !isNaN(data20)))){
const err23 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema40.oneOf[1].properties.max_tokens.type,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data20};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
if(typeof data20 == "number"){
if(data20 < 1 || isNaN(data20)){
const err24 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data20};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
}
}
else {
const err25 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.oneOf[1].type,parentSchema:schema40.oneOf[1],data:data16};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
var _valid0 = _errs32 === errors;
if(_valid0 && valid11){
valid11 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid11 = true;
passing0 = 1;
}
}
if(!valid11){
const err26 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema40.oneOf,parentSchema:schema40,data:data16};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
else {
errors = _errs29;
if(vErrors !== null){
if(_errs29){
vErrors.length = _errs29;
}
else {
vErrors = null;
}
}
}
}
if(data.max_runs !== undefined){
let data21 = data.max_runs;
const _errs44 = errors;
let valid13 = false;
let passing1 = null;
const _errs45 = errors;
if(!((typeof data21 == "number") && (!(data21 % 1) && !isNaN(data21)))){
const err27 = {instancePath:instancePath+"/max_runs",schemaPath:"#/properties/max_runs/oneOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema68.properties.max_runs.oneOf[0].type,parentSchema:schema68.properties.max_runs.oneOf[0],data:data21};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(typeof data21 == "number"){
if(data21 < 1 || isNaN(data21)){
const err28 = {instancePath:instancePath+"/max_runs",schemaPath:"#/properties/max_runs/oneOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema68.properties.max_runs.oneOf[0],data:data21};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
var _valid1 = _errs45 === errors;
if(_valid1){
valid13 = true;
passing1 = 0;
}
const _errs47 = errors;
if(!(validate24(data21, {instancePath:instancePath+"/max_runs",parentData:data,parentDataProperty:"max_runs",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
var _valid1 = _errs47 === errors;
if(_valid1 && valid13){
valid13 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid13 = true;
passing1 = 1;
}
}
if(!valid13){
const err29 = {instancePath:instancePath+"/max_runs",schemaPath:"#/properties/max_runs/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf",schema:schema68.properties.max_runs.oneOf,parentSchema:schema68.properties.max_runs,data:data21};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
else {
errors = _errs44;
if(vErrors !== null){
if(_errs44){
vErrors.length = _errs44;
}
else {
vErrors = null;
}
}
}
}
if(data.precondition !== undefined){
let data22 = data.precondition;
if(data22 && typeof data22 == "object" && !Array.isArray(data22)){
for(const key2 in data22){
if(!((key2 === "assert") || (key2 === "command"))){
const err30 = {instancePath:instancePath+"/precondition",schemaPath:"#/properties/precondition/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema68.properties.precondition,data:data22};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data22.assert !== undefined){
let data23 = data22.assert;
if(typeof data23 === "string"){
if(func2(data23) < 1){
const err31 = {instancePath:instancePath+"/precondition/assert",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data23};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
else {
const err32 = {instancePath:instancePath+"/precondition/assert",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data23};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data22.command !== undefined){
if(!(validate29(data22.command, {instancePath:instancePath+"/precondition/command",parentData:data22,parentDataProperty:"command",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
errors = vErrors.length;
}
}
}
else {
const err33 = {instancePath:instancePath+"/precondition",schemaPath:"#/properties/precondition/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema68.properties.precondition.type,parentSchema:schema68.properties.precondition,data:data22};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
}
else {
const err34 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema68.type,parentSchema:schema68,data};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
validate38.errors = vErrors;
return errors === 0;
}
validate38.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate37(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate37.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.profile === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "profile"},message:"must have required property '"+"profile"+"'",schema:schema63.required,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.watch === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "watch"},message:"must have required property '"+"watch"+"'",schema:schema63.required,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.actions === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "actions"},message:"must have required property '"+"actions"+"'",schema:schema63.required,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
for(const key0 in data){
if(!((((((((key0 === "profile") || (key0 === "goal")) || (key0 === "constraints")) || (key0 === "watch")) || (key0 === "react")) || (key0 === "model")) || (key0 === "memory")) || (key0 === "actions"))){
const err3 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.profile !== undefined){
let data0 = data.profile;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err4 = {instancePath:instancePath+"/profile",schemaPath:"#/properties/profile/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema63.properties.profile,data:data0};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/profile",schemaPath:"#/properties/profile/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.profile.type,parentSchema:schema63.properties.profile,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.goal !== undefined){
let data1 = data.goal;
if(typeof data1 !== "string"){
const err6 = {instancePath:instancePath+"/goal",schemaPath:"#/properties/goal/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.goal.type,parentSchema:schema63.properties.goal,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.constraints !== undefined){
let data2 = data.constraints;
const _errs7 = errors;
let valid1 = false;
let passing0 = null;
const _errs8 = errors;
if(typeof data2 !== "string"){
const err7 = {instancePath:instancePath+"/constraints",schemaPath:"#/properties/constraints/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.constraints.oneOf[0].type,parentSchema:schema63.properties.constraints.oneOf[0],data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
var _valid0 = _errs8 === errors;
if(_valid0){
valid1 = true;
passing0 = 0;
}
const _errs10 = errors;
if(Array.isArray(data2)){
const len0 = data2.length;
for(let i0=0; i0<len0; i0++){
let data3 = data2[i0];
if(typeof data3 !== "string"){
const err8 = {instancePath:instancePath+"/constraints/" + i0,schemaPath:"#/properties/constraints/oneOf/1/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema63.properties.constraints.oneOf[1].items.type,parentSchema:schema63.properties.constraints.oneOf[1].items,data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
}
else {
const err9 = {instancePath:instancePath+"/constraints",schemaPath:"#/properties/constraints/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema63.properties.constraints.oneOf[1].type,parentSchema:schema63.properties.constraints.oneOf[1],data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
var _valid0 = _errs10 === errors;
if(_valid0 && valid1){
valid1 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid1 = true;
passing0 = 1;
}
}
if(!valid1){
const err10 = {instancePath:instancePath+"/constraints",schemaPath:"#/properties/constraints/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema63.properties.constraints.oneOf,parentSchema:schema63.properties.constraints,data:data2};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
else {
errors = _errs7;
if(vErrors !== null){
if(_errs7){
vErrors.length = _errs7;
}
else {
vErrors = null;
}
}
}
}
if(data.watch !== undefined){
let data4 = data.watch;
if(Array.isArray(data4)){
const len1 = data4.length;
for(let i1=0; i1<len1; i1++){
let data5 = data4[i1];
if(typeof data5 === "string"){
if(!pattern11.test(data5)){
const err11 = {instancePath:instancePath+"/watch/" + i1,schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data5};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
else {
const err12 = {instancePath:instancePath+"/watch/" + i1,schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
}
else {
const err13 = {instancePath:instancePath+"/watch",schemaPath:"#/properties/watch/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema63.properties.watch.type,parentSchema:schema63.properties.watch,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data.react !== undefined){
let data6 = data.react;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key1 in data6){
if(!(((key1 === "mode") || (key1 === "max_react_loop")) || (key1 === "max_replans"))){
const err14 = {instancePath:instancePath+"/react",schemaPath:"#/$defs/React/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema65,data:data6};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data6.mode !== undefined){
let data7 = data6.mode;
if(!(((data7 === "by_order") || (data7 === "react")) || (data7 === "plan_and_act"))){
const err15 = {instancePath:instancePath+"/react/mode",schemaPath:"#/$defs/React/properties/mode/enum",keyword:"enum",params:{allowedValues: schema65.properties.mode.enum},message:"must be equal to one of the allowed values",schema:schema65.properties.mode.enum,parentSchema:schema65.properties.mode,data:data7};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data6.max_react_loop !== undefined){
let data8 = data6.max_react_loop;
if(!((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8)))){
const err16 = {instancePath:instancePath+"/react/max_react_loop",schemaPath:"#/$defs/React/properties/max_react_loop/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema65.properties.max_react_loop.type,parentSchema:schema65.properties.max_react_loop,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(typeof data8 == "number"){
if(data8 < 1 || isNaN(data8)){
const err17 = {instancePath:instancePath+"/react/max_react_loop",schemaPath:"#/$defs/React/properties/max_react_loop/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema65.properties.max_react_loop,data:data8};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
}
if(data6.max_replans !== undefined){
let data9 = data6.max_replans;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
const err18 = {instancePath:instancePath+"/react/max_replans",schemaPath:"#/$defs/React/properties/max_replans/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema65.properties.max_replans.type,parentSchema:schema65.properties.max_replans,data:data9};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
if(typeof data9 == "number"){
if(data9 < 0 || isNaN(data9)){
const err19 = {instancePath:instancePath+"/react/max_replans",schemaPath:"#/$defs/React/properties/max_replans/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema65.properties.max_replans,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
}
else {
const err20 = {instancePath:instancePath+"/react",schemaPath:"#/$defs/React/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema65.type,parentSchema:schema65,data:data6};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.model !== undefined){
let data10 = data.model;
const _errs30 = errors;
let valid10 = false;
let passing1 = null;
const _errs31 = errors;
if(typeof data10 === "string"){
if(func2(data10) < 1){
const err21 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[0],data:data10};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/0/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[0].type,parentSchema:schema40.oneOf[0],data:data10};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
var _valid1 = _errs31 === errors;
if(_valid1){
valid10 = true;
passing1 = 0;
}
const _errs33 = errors;
if(data10 && typeof data10 == "object" && !Array.isArray(data10)){
for(const key2 in data10){
if(!((((key2 === "name") || (key2 === "provider")) || (key2 === "temperature")) || (key2 === "max_tokens"))){
const err23 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema40.oneOf[1],data:data10};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data10.name !== undefined){
let data11 = data10.name;
if(typeof data11 === "string"){
if(func2(data11) < 1){
const err24 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema40.oneOf[1].properties.name,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
else {
const err25 = {instancePath:instancePath+"/model/name",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.name.type,parentSchema:schema40.oneOf[1].properties.name,data:data11};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data10.provider !== undefined){
let data12 = data10.provider;
if(typeof data12 !== "string"){
const err26 = {instancePath:instancePath+"/model/provider",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/provider/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.oneOf[1].properties.provider.type,parentSchema:schema40.oneOf[1].properties.provider,data:data12};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data10.temperature !== undefined){
let data13 = data10.temperature;
if(typeof data13 == "number"){
if(data13 > 2 || isNaN(data13)){
const err27 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/maximum",keyword:"maximum",params:{comparison: "<=", limit: 2},message:"must be <= 2",schema:2,parentSchema:schema40.oneOf[1].properties.temperature,data:data13};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
if(data13 < 0 || isNaN(data13)){
const err28 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.oneOf[1].properties.temperature,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
else {
const err29 = {instancePath:instancePath+"/model/temperature",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/temperature/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema40.oneOf[1].properties.temperature.type,parentSchema:schema40.oneOf[1].properties.temperature,data:data13};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data10.max_tokens !== undefined){
let data14 = data10.max_tokens;
if(!((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14)))){
const err30 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema40.oneOf[1].properties.max_tokens.type,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data14};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
if(typeof data14 == "number"){
if(data14 < 1 || isNaN(data14)){
const err31 = {instancePath:instancePath+"/model/max_tokens",schemaPath:"#/$defs/ModelRef/oneOf/1/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema40.oneOf[1].properties.max_tokens,data:data14};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
}
}
else {
const err32 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.oneOf[1].type,parentSchema:schema40.oneOf[1],data:data10};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
var _valid1 = _errs33 === errors;
if(_valid1 && valid10){
valid10 = false;
passing1 = [passing1, 1];
}
else {
if(_valid1){
valid10 = true;
passing1 = 1;
}
}
if(!valid10){
const err33 = {instancePath:instancePath+"/model",schemaPath:"#/$defs/ModelRef/oneOf",keyword:"oneOf",params:{passingSchemas: passing1},message:"must match exactly one schema in oneOf",schema:schema40.oneOf,parentSchema:schema40,data:data10};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
else {
errors = _errs30;
if(vErrors !== null){
if(_errs30){
vErrors.length = _errs30;
}
else {
vErrors = null;
}
}
}
}
if(data.memory !== undefined){
let data15 = data.memory;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key3 in data15){
if(!((key3 === "policy") || (key3 === "size"))){
const err34 = {instancePath:instancePath+"/memory",schemaPath:"#/$defs/Memory/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema67,data:data15};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data15.policy !== undefined){
let data16 = data15.policy;
if(!(((data16 === "window") || (data16 === "chain")) || (data16 === "none"))){
const err35 = {instancePath:instancePath+"/memory/policy",schemaPath:"#/$defs/Memory/properties/policy/enum",keyword:"enum",params:{allowedValues: schema67.properties.policy.enum},message:"must be equal to one of the allowed values",schema:schema67.properties.policy.enum,parentSchema:schema67.properties.policy,data:data16};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data15.size !== undefined){
let data17 = data15.size;
if(!((typeof data17 == "number") && (!(data17 % 1) && !isNaN(data17)))){
const err36 = {instancePath:instancePath+"/memory/size",schemaPath:"#/$defs/Memory/properties/size/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema67.properties.size.type,parentSchema:schema67.properties.size,data:data17};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
if(typeof data17 == "number"){
if(data17 < 1 || isNaN(data17)){
const err37 = {instancePath:instancePath+"/memory/size",schemaPath:"#/$defs/Memory/properties/size/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema67.properties.size,data:data17};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
}
}
}
else {
const err38 = {instancePath:instancePath+"/memory",schemaPath:"#/$defs/Memory/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema67.type,parentSchema:schema67,data:data15};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
if(data.actions !== undefined){
let data18 = data.actions;
if(Array.isArray(data18)){
if(data18.length < 1){
const err39 = {instancePath:instancePath+"/actions",schemaPath:"#/properties/actions/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema63.properties.actions,data:data18};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
const len2 = data18.length;
for(let i2=0; i2<len2; i2++){
if(!(validate38(data18[i2], {instancePath:instancePath+"/actions/" + i2,parentData:data18,parentDataProperty:i2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate38.errors : vErrors.concat(validate38.errors);
errors = vErrors.length;
}
}
}
else {
const err40 = {instancePath:instancePath+"/actions",schemaPath:"#/properties/actions/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema63.properties.actions.type,parentSchema:schema63.properties.actions,data:data18};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
}
else {
const err41 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema63.type,parentSchema:schema63,data};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
validate37.errors = vErrors;
return errors === 0;
}
validate37.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema99 = {"description":"A tool the model may call: a description, a JSON Schema for its arguments, and exactly one of `command` (argv templates over `args`) and `http` (a request template over `args`).","type":"object","additionalProperties":false,"required":["description"],"properties":{"description":{"description":"What the tool does, as the model is told.","type":"string","minLength":1},"parameters":{"description":"JSON Schema (2020-12) of the arguments object; default: an object without properties. Arguments are validated against it before the tool runs. Close each object with `additionalProperties: false` (or require all its properties): otherwise a misspelt argument passes, and `sop validate` warns (`TOOL_PARAMETERS_OPEN`).","type":"object"},"command":{"description":"Run a command: each argv entry is a template over `args` and renders to exactly one argument (no shell, no splitting).","$ref":"#/$defs/CommandSpec"},"http":{"$ref":"#/$defs/HttpRequestTemplate"}}};
const schema100 = {"description":"An HTTP request whose URL, headers and body are templates over `args`. The URL must start with a literal `http(s)://host`; arguments may choose the path and query, never the server. A header may also use `${env:NAME}` (a token kept out of the SOP file).","type":"object","additionalProperties":false,"required":["url"],"properties":{"method":{"description":"HTTP method.","enum":["GET","POST","PUT","PATCH","DELETE"],"default":"GET"},"url":{"description":"URL template, starting with a literal `http://` or `https://` origin.","type":"string","pattern":"^https?://[^{}/]+(/.*)?$"},"headers":{"description":"Request headers: values are templates over `args`, and may use `${env:NAME}` (e.g. `Authorization: \"Bearer ${env:GITHUB_TOKEN}\"`), read when the run starts (an unset variable stops it before any work) and treated as a secret: masked in everything the run writes and prints and in what the tool hands the model.","type":"object","additionalProperties":{"type":"string"}},"body":{"description":"Request body template.","type":"string"},"timeout":{"description":"Seconds before the request is aborted (default `settings.tools.timeout`).","type":"number","exclusiveMinimum":0}}};
const pattern27 = new RegExp("^https?://[^{}/]+(/.*)?$", "u");

function validate57(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate57.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.description === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "description"},message:"must have required property '"+"description"+"'",schema:schema99.required,parentSchema:schema99,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "description") || (key0 === "parameters")) || (key0 === "command")) || (key0 === "http"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema99,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.description !== undefined){
let data0 = data.description;
if(typeof data0 === "string"){
if(func2(data0) < 1){
const err2 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema99.properties.description,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/description",schemaPath:"#/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema99.properties.description.type,parentSchema:schema99.properties.description,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.parameters !== undefined){
let data1 = data.parameters;
if(!(data1 && typeof data1 == "object" && !Array.isArray(data1))){
const err4 = {instancePath:instancePath+"/parameters",schemaPath:"#/properties/parameters/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema99.properties.parameters.type,parentSchema:schema99.properties.parameters,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.command !== undefined){
if(!(validate29(data.command, {instancePath:instancePath+"/command",parentData:data,parentDataProperty:"command",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate29.errors : vErrors.concat(validate29.errors);
errors = vErrors.length;
}
}
if(data.http !== undefined){
let data3 = data.http;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(data3.url === undefined){
const err5 = {instancePath:instancePath+"/http",schemaPath:"#/$defs/HttpRequestTemplate/required",keyword:"required",params:{missingProperty: "url"},message:"must have required property '"+"url"+"'",schema:schema100.required,parentSchema:schema100,data:data3};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
for(const key1 in data3){
if(!(((((key1 === "method") || (key1 === "url")) || (key1 === "headers")) || (key1 === "body")) || (key1 === "timeout"))){
const err6 = {instancePath:instancePath+"/http",schemaPath:"#/$defs/HttpRequestTemplate/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema100,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data3.method !== undefined){
let data4 = data3.method;
if(!(((((data4 === "GET") || (data4 === "POST")) || (data4 === "PUT")) || (data4 === "PATCH")) || (data4 === "DELETE"))){
const err7 = {instancePath:instancePath+"/http/method",schemaPath:"#/$defs/HttpRequestTemplate/properties/method/enum",keyword:"enum",params:{allowedValues: schema100.properties.method.enum},message:"must be equal to one of the allowed values",schema:schema100.properties.method.enum,parentSchema:schema100.properties.method,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data3.url !== undefined){
let data5 = data3.url;
if(typeof data5 === "string"){
if(!pattern27.test(data5)){
const err8 = {instancePath:instancePath+"/http/url",schemaPath:"#/$defs/HttpRequestTemplate/properties/url/pattern",keyword:"pattern",params:{pattern: "^https?://[^{}/]+(/.*)?$"},message:"must match pattern \""+"^https?://[^{}/]+(/.*)?$"+"\"",schema:"^https?://[^{}/]+(/.*)?$",parentSchema:schema100.properties.url,data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
else {
const err9 = {instancePath:instancePath+"/http/url",schemaPath:"#/$defs/HttpRequestTemplate/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema100.properties.url.type,parentSchema:schema100.properties.url,data:data5};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.headers !== undefined){
let data6 = data3.headers;
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
for(const key2 in data6){
let data7 = data6[key2];
if(typeof data7 !== "string"){
const err10 = {instancePath:instancePath+"/http/headers/" + key2.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/HttpRequestTemplate/properties/headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema100.properties.headers.additionalProperties.type,parentSchema:schema100.properties.headers.additionalProperties,data:data7};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
}
else {
const err11 = {instancePath:instancePath+"/http/headers",schemaPath:"#/$defs/HttpRequestTemplate/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema100.properties.headers.type,parentSchema:schema100.properties.headers,data:data6};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data3.body !== undefined){
let data8 = data3.body;
if(typeof data8 !== "string"){
const err12 = {instancePath:instancePath+"/http/body",schemaPath:"#/$defs/HttpRequestTemplate/properties/body/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema100.properties.body.type,parentSchema:schema100.properties.body,data:data8};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data3.timeout !== undefined){
let data9 = data3.timeout;
if(typeof data9 == "number"){
if(data9 <= 0 || isNaN(data9)){
const err13 = {instancePath:instancePath+"/http/timeout",schemaPath:"#/$defs/HttpRequestTemplate/properties/timeout/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema100.properties.timeout,data:data9};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
else {
const err14 = {instancePath:instancePath+"/http/timeout",schemaPath:"#/$defs/HttpRequestTemplate/properties/timeout/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema100.properties.timeout.type,parentSchema:schema100.properties.timeout,data:data9};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
}
else {
const err15 = {instancePath:instancePath+"/http",schemaPath:"#/$defs/HttpRequestTemplate/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema100.type,parentSchema:schema100,data:data3};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
}
else {
const err16 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema99.type,parentSchema:schema99,data};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
validate57.errors = vErrors;
return errors === 0;
}
validate57.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema103 = {"description":"Matches a message by type and, optionally, a CEL condition over it (`payload`, `content`, `from`, `thread`, `inputs`), e.g. `thread.turn >= 6` to end a debate after six speeches.","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"A declared message type.","$ref":"#/$defs/MessageTypeName"},"if":{"$ref":"#/$defs/Expression"}}};

function validate60(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate60.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema103.required,parentSchema:schema103,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((key0 === "type") || (key0 === "if"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema103,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.type !== undefined){
let data0 = data.type;
if(typeof data0 === "string"){
if(!pattern11.test(data0)){
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
else {
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.if !== undefined){
let data1 = data.if;
if(typeof data1 === "string"){
if(func2(data1) < 1){
const err4 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema46,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
else {
const err5 = {instancePath:instancePath+"/if",schemaPath:"#/$defs/Expression/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema46.type,parentSchema:schema46,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
}
else {
const err6 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema103.type,parentSchema:schema103,data};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
validate60.errors = vErrors;
return errors === 0;
}
validate60.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://sop-runner.dev/schemas/sop.v1.schema.json" */;
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.apiVersion === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "apiVersion"},message:"must have required property '"+"apiVersion"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
if(data.kind === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "kind"},message:"must have required property '"+"kind"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
if(data.metadata === undefined){
const err2 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "metadata"},message:"must have required property '"+"metadata"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(data.roles === undefined){
const err3 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "roles"},message:"must have required property '"+"roles"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
for(const key0 in data){
if(!(func1.call(schema31.properties, key0))){
const err4 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data0 = data.apiVersion;
if("sop/v1" !== data0){
const err5 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "sop/v1"},message:"must be equal to constant",schema:"sop/v1",parentSchema:schema31.properties.apiVersion,data:data0};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.kind !== undefined){
let data1 = data.kind;
if("SOP" !== data1){
const err6 = {instancePath:instancePath+"/kind",schemaPath:"#/properties/kind/const",keyword:"const",params:{allowedValue: "SOP"},message:"must be equal to constant",schema:"SOP",parentSchema:schema31.properties.kind,data:data1};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.metadata !== undefined){
let data2 = data.metadata;
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
if(data2.name === undefined){
const err7 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/Metadata/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema32.required,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
if(data2.version === undefined){
const err8 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/Metadata/required",keyword:"required",params:{missingProperty: "version"},message:"must have required property '"+"version"+"'",schema:schema32.required,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key1 in data2){
if(!((((((key1 === "name") || (key1 === "version")) || (key1 === "description")) || (key1 === "requires")) || (key1 === "authors")) || (key1 === "tags"))){
const err9 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/Metadata/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data2.name !== undefined){
let data3 = data2.name;
if(typeof data3 === "string"){
if(!pattern4.test(data3)){
const err10 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/Metadata/properties/name/pattern",keyword:"pattern",params:{pattern: "^[a-z0-9][a-z0-9-_]*$"},message:"must match pattern \""+"^[a-z0-9][a-z0-9-_]*$"+"\"",schema:"^[a-z0-9][a-z0-9-_]*$",parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
else {
const err11 = {instancePath:instancePath+"/metadata/name",schemaPath:"#/$defs/Metadata/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.name.type,parentSchema:schema32.properties.name,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
if(data2.version !== undefined){
let data4 = data2.version;
if(typeof data4 === "string"){
if(!pattern5.test(data4)){
const err12 = {instancePath:instancePath+"/metadata/version",schemaPath:"#/$defs/Metadata/properties/version/pattern",keyword:"pattern",params:{pattern: "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$"},message:"must match pattern \""+"^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$"+"\"",schema:"^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?$",parentSchema:schema32.properties.version,data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
else {
const err13 = {instancePath:instancePath+"/metadata/version",schemaPath:"#/$defs/Metadata/properties/version/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.version.type,parentSchema:schema32.properties.version,data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data2.description !== undefined){
let data5 = data2.description;
if(typeof data5 !== "string"){
const err14 = {instancePath:instancePath+"/metadata/description",schemaPath:"#/$defs/Metadata/properties/description/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.description.type,parentSchema:schema32.properties.description,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data2.requires !== undefined){
let data6 = data2.requires;
if(typeof data6 !== "string"){
const err15 = {instancePath:instancePath+"/metadata/requires",schemaPath:"#/$defs/Metadata/properties/requires/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.requires.type,parentSchema:schema32.properties.requires,data:data6};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
}
if(data2.authors !== undefined){
let data7 = data2.authors;
if(Array.isArray(data7)){
const len0 = data7.length;
for(let i0=0; i0<len0; i0++){
let data8 = data7[i0];
if(typeof data8 !== "string"){
const err16 = {instancePath:instancePath+"/metadata/authors/" + i0,schemaPath:"#/$defs/Metadata/properties/authors/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.authors.items.type,parentSchema:schema32.properties.authors.items,data:data8};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
}
else {
const err17 = {instancePath:instancePath+"/metadata/authors",schemaPath:"#/$defs/Metadata/properties/authors/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema32.properties.authors.type,parentSchema:schema32.properties.authors,data:data7};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
}
if(data2.tags !== undefined){
let data9 = data2.tags;
if(Array.isArray(data9)){
const len1 = data9.length;
for(let i1=0; i1<len1; i1++){
let data10 = data9[i1];
if(typeof data10 !== "string"){
const err18 = {instancePath:instancePath+"/metadata/tags/" + i1,schemaPath:"#/$defs/Metadata/properties/tags/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema32.properties.tags.items.type,parentSchema:schema32.properties.tags.items,data:data10};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
}
else {
const err19 = {instancePath:instancePath+"/metadata/tags",schemaPath:"#/$defs/Metadata/properties/tags/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema32.properties.tags.type,parentSchema:schema32.properties.tags,data:data9};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
}
}
else {
const err20 = {instancePath:instancePath+"/metadata",schemaPath:"#/$defs/Metadata/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data:data2};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data.inputs !== undefined){
let data11 = data.inputs;
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
for(const key2 in data11){
const _errs26 = errors;
if(typeof key2 === "string"){
if(!pattern6.test(key2)){
const err21 = {instancePath:instancePath+"/inputs",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
else {
const err22 = {instancePath:instancePath+"/inputs",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key2,propertyName:key2};
if(vErrors === null){
vErrors = [err22];
}
else {
vErrors.push(err22);
}
errors++;
}
var valid7 = _errs26 === errors;
if(!valid7){
const err23 = {instancePath:instancePath+"/inputs",schemaPath:"#/properties/inputs/propertyNames",keyword:"propertyNames",params:{propertyName: key2},message:"property name must be valid",schema:schema31.properties.inputs.propertyNames,parentSchema:schema31.properties.inputs,data:data11};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
for(const key3 in data11){
if(!(validate21(data11[key3], {instancePath:instancePath+"/inputs/" + key3.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data11,parentDataProperty:key3,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
}
}
else {
const err24 = {instancePath:instancePath+"/inputs",schemaPath:"#/properties/inputs/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.inputs.type,parentSchema:schema31.properties.inputs,data:data11};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.vars !== undefined){
let data13 = data.vars;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
for(const key4 in data13){
const _errs33 = errors;
if(typeof key4 === "string"){
if(!pattern6.test(key4)){
const err25 = {instancePath:instancePath+"/vars",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
else {
const err26 = {instancePath:instancePath+"/vars",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key4,propertyName:key4};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
var valid10 = _errs33 === errors;
if(!valid10){
const err27 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/propertyNames",keyword:"propertyNames",params:{propertyName: key4},message:"property name must be valid",schema:schema31.properties.vars.propertyNames,parentSchema:schema31.properties.vars,data:data13};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
}
else {
const err28 = {instancePath:instancePath+"/vars",schemaPath:"#/properties/vars/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.vars.type,parentSchema:schema31.properties.vars,data:data13};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data.settings !== undefined){
if(!(validate23(data.settings, {instancePath:instancePath+"/settings",parentData:data,parentDataProperty:"settings",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
errors = vErrors.length;
}
}
if(data.messages !== undefined){
let data15 = data.messages;
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
for(const key5 in data15){
const _errs40 = errors;
if(typeof key5 === "string"){
if(!pattern11.test(key5)){
const err29 = {instancePath:instancePath+"/messages",schemaPath:"#/$defs/MessageTypeName/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Za-z0-9]*$"},message:"must match pattern \""+"^[A-Z][A-Za-z0-9]*$"+"\"",schema:"^[A-Z][A-Za-z0-9]*$",parentSchema:schema42,data:key5,propertyName:key5};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
else {
const err30 = {instancePath:instancePath+"/messages",schemaPath:"#/$defs/MessageTypeName/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema42.type,parentSchema:schema42,data:key5,propertyName:key5};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
var valid12 = _errs40 === errors;
if(!valid12){
const err31 = {instancePath:instancePath+"/messages",schemaPath:"#/properties/messages/propertyNames",keyword:"propertyNames",params:{propertyName: key5},message:"property name must be valid",schema:schema31.properties.messages.propertyNames,parentSchema:schema31.properties.messages,data:data15};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
for(const key6 in data15){
if(!(validate27(data15[key6], {instancePath:instancePath+"/messages/" + key6.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data15,parentDataProperty:key6,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
}
}
else {
const err32 = {instancePath:instancePath+"/messages",schemaPath:"#/properties/messages/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.messages.type,parentSchema:schema31.properties.messages,data:data15};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
if(data.start !== undefined){
let data17 = data.start;
if(Array.isArray(data17)){
if(data17.length < 1){
const err33 = {instancePath:instancePath+"/start",schemaPath:"#/properties/start/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.start,data:data17};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
const len2 = data17.length;
for(let i2=0; i2<len2; i2++){
if(!(validate35(data17[i2], {instancePath:instancePath+"/start/" + i2,parentData:data17,parentDataProperty:i2,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate35.errors : vErrors.concat(validate35.errors);
errors = vErrors.length;
}
}
}
else {
const err34 = {instancePath:instancePath+"/start",schemaPath:"#/properties/start/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.start.type,parentSchema:schema31.properties.start,data:data17};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data.roles !== undefined){
let data19 = data.roles;
if(data19 && typeof data19 == "object" && !Array.isArray(data19)){
if(Object.keys(data19).length < 1){
const err35 = {instancePath:instancePath+"/roles",schemaPath:"#/properties/roles/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema31.properties.roles,data:data19};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
for(const key7 in data19){
const _errs50 = errors;
if(typeof key7 === "string"){
if(!pattern6.test(key7)){
const err36 = {instancePath:instancePath+"/roles",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key7,propertyName:key7};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
else {
const err37 = {instancePath:instancePath+"/roles",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key7,propertyName:key7};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
var valid17 = _errs50 === errors;
if(!valid17){
const err38 = {instancePath:instancePath+"/roles",schemaPath:"#/properties/roles/propertyNames",keyword:"propertyNames",params:{propertyName: key7},message:"property name must be valid",schema:schema31.properties.roles.propertyNames,parentSchema:schema31.properties.roles,data:data19};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
for(const key8 in data19){
if(!(validate37(data19[key8], {instancePath:instancePath+"/roles/" + key8.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data19,parentDataProperty:key8,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate37.errors : vErrors.concat(validate37.errors);
errors = vErrors.length;
}
}
}
else {
const err39 = {instancePath:instancePath+"/roles",schemaPath:"#/properties/roles/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.roles.type,parentSchema:schema31.properties.roles,data:data19};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data.tools !== undefined){
let data21 = data.tools;
if(data21 && typeof data21 == "object" && !Array.isArray(data21)){
for(const key9 in data21){
const _errs57 = errors;
if(typeof key9 === "string"){
if(!pattern6.test(key9)){
const err40 = {instancePath:instancePath+"/tools",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key9,propertyName:key9};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
else {
const err41 = {instancePath:instancePath+"/tools",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key9,propertyName:key9};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
var valid20 = _errs57 === errors;
if(!valid20){
const err42 = {instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/propertyNames",keyword:"propertyNames",params:{propertyName: key9},message:"property name must be valid",schema:schema31.properties.tools.propertyNames,parentSchema:schema31.properties.tools,data:data21};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
for(const key10 in data21){
if(!(validate57(data21[key10], {instancePath:instancePath+"/tools/" + key10.replace(/~/g, "~0").replace(/\//g, "~1"),parentData:data21,parentDataProperty:key10,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate57.errors : vErrors.concat(validate57.errors);
errors = vErrors.length;
}
}
}
else {
const err43 = {instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.tools.type,parentSchema:schema31.properties.tools,data:data21};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data.mcp_servers !== undefined){
let data23 = data.mcp_servers;
if(data23 && typeof data23 == "object" && !Array.isArray(data23)){
for(const key11 in data23){
const _errs64 = errors;
if(typeof key11 === "string"){
if(!pattern6.test(key11)){
const err44 = {instancePath:instancePath+"/mcp_servers",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key11,propertyName:key11};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
else {
const err45 = {instancePath:instancePath+"/mcp_servers",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key11,propertyName:key11};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
const _errs67 = errors;
const _errs68 = errors;
if(!(((key11 === "fs") || (key11 === "shell")) || (key11 === "http"))){
const err46 = {};
if(vErrors === null){
vErrors = [err46];
}
else {
vErrors.push(err46);
}
errors++;
}
var valid25 = _errs68 === errors;
if(valid25){
const err47 = {instancePath:instancePath+"/mcp_servers",schemaPath:"#/properties/mcp_servers/propertyNames/not",keyword:"not",params:{},message:"must NOT be valid",schema:schema31.properties.mcp_servers.propertyNames.not,parentSchema:schema31.properties.mcp_servers.propertyNames,data:key11,propertyName:key11};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
else {
errors = _errs67;
if(vErrors !== null){
if(_errs67){
vErrors.length = _errs67;
}
else {
vErrors = null;
}
}
}
var valid23 = _errs64 === errors;
if(!valid23){
const err48 = {instancePath:instancePath+"/mcp_servers",schemaPath:"#/properties/mcp_servers/propertyNames",keyword:"propertyNames",params:{propertyName: key11},message:"property name must be valid",schema:schema31.properties.mcp_servers.propertyNames,parentSchema:schema31.properties.mcp_servers,data:data23};
if(vErrors === null){
vErrors = [err48];
}
else {
vErrors.push(err48);
}
errors++;
}
}
for(const key12 in data23){
let data24 = data23[key12];
if(data24 && typeof data24 == "object" && !Array.isArray(data24)){
for(const key13 in data24){
if(!(((((((key13 === "command") || (key13 === "cwd")) || (key13 === "env")) || (key13 === "url")) || (key13 === "headers")) || (key13 === "allowed_tools")) || (key13 === "timeout"))){
const err49 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/McpServer/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key13},message:"must NOT have additional properties",schema:false,parentSchema:schema102,data:data24};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
}
if(data24.command !== undefined){
let data25 = data24.command;
if(Array.isArray(data25)){
if(data25.length < 1){
const err50 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command",schemaPath:"#/$defs/McpServer/properties/command/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema102.properties.command,data:data25};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
const len3 = data25.length;
for(let i3=0; i3<len3; i3++){
let data26 = data25[i3];
if(typeof data26 === "string"){
if(func2(data26) < 1){
const err51 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command/" + i3,schemaPath:"#/$defs/McpServer/properties/command/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema102.properties.command.items,data:data26};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
else {
const err52 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command/" + i3,schemaPath:"#/$defs/McpServer/properties/command/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.command.items.type,parentSchema:schema102.properties.command.items,data:data26};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
}
}
else {
const err53 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/command",schemaPath:"#/$defs/McpServer/properties/command/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema102.properties.command.type,parentSchema:schema102.properties.command,data:data25};
if(vErrors === null){
vErrors = [err53];
}
else {
vErrors.push(err53);
}
errors++;
}
}
if(data24.cwd !== undefined){
let data27 = data24.cwd;
if(typeof data27 !== "string"){
const err54 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/cwd",schemaPath:"#/$defs/McpServer/properties/cwd/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.cwd.type,parentSchema:schema102.properties.cwd,data:data27};
if(vErrors === null){
vErrors = [err54];
}
else {
vErrors.push(err54);
}
errors++;
}
}
if(data24.env !== undefined){
let data28 = data24.env;
if(data28 && typeof data28 == "object" && !Array.isArray(data28)){
for(const key14 in data28){
let data29 = data28[key14];
if(typeof data29 !== "string"){
const err55 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/env/" + key14.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/McpServer/properties/env/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.env.additionalProperties.type,parentSchema:schema102.properties.env.additionalProperties,data:data29};
if(vErrors === null){
vErrors = [err55];
}
else {
vErrors.push(err55);
}
errors++;
}
}
}
else {
const err56 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/env",schemaPath:"#/$defs/McpServer/properties/env/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema102.properties.env.type,parentSchema:schema102.properties.env,data:data28};
if(vErrors === null){
vErrors = [err56];
}
else {
vErrors.push(err56);
}
errors++;
}
}
if(data24.url !== undefined){
let data30 = data24.url;
if(typeof data30 === "string"){
if(!pattern29.test(data30)){
const err57 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/url",schemaPath:"#/$defs/McpServer/properties/url/pattern",keyword:"pattern",params:{pattern: "^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})"},message:"must match pattern \""+"^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})"+"\"",schema:"^(https?://|\\$\\{env:[A-Za-z_][A-Za-z0-9_]*\\})",parentSchema:schema102.properties.url,data:data30};
if(vErrors === null){
vErrors = [err57];
}
else {
vErrors.push(err57);
}
errors++;
}
}
else {
const err58 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/url",schemaPath:"#/$defs/McpServer/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.url.type,parentSchema:schema102.properties.url,data:data30};
if(vErrors === null){
vErrors = [err58];
}
else {
vErrors.push(err58);
}
errors++;
}
}
if(data24.headers !== undefined){
let data31 = data24.headers;
if(data31 && typeof data31 == "object" && !Array.isArray(data31)){
for(const key15 in data31){
let data32 = data31[key15];
if(typeof data32 !== "string"){
const err59 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/headers/" + key15.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/McpServer/properties/headers/additionalProperties/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.headers.additionalProperties.type,parentSchema:schema102.properties.headers.additionalProperties,data:data32};
if(vErrors === null){
vErrors = [err59];
}
else {
vErrors.push(err59);
}
errors++;
}
}
}
else {
const err60 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/headers",schemaPath:"#/$defs/McpServer/properties/headers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema102.properties.headers.type,parentSchema:schema102.properties.headers,data:data31};
if(vErrors === null){
vErrors = [err60];
}
else {
vErrors.push(err60);
}
errors++;
}
}
if(data24.allowed_tools !== undefined){
let data33 = data24.allowed_tools;
if(Array.isArray(data33)){
const len4 = data33.length;
for(let i4=0; i4<len4; i4++){
let data34 = data33[i4];
if(typeof data34 === "string"){
if(func2(data34) < 1){
const err61 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/allowed_tools/" + i4,schemaPath:"#/$defs/McpServer/properties/allowed_tools/items/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema102.properties.allowed_tools.items,data:data34};
if(vErrors === null){
vErrors = [err61];
}
else {
vErrors.push(err61);
}
errors++;
}
}
else {
const err62 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/allowed_tools/" + i4,schemaPath:"#/$defs/McpServer/properties/allowed_tools/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema102.properties.allowed_tools.items.type,parentSchema:schema102.properties.allowed_tools.items,data:data34};
if(vErrors === null){
vErrors = [err62];
}
else {
vErrors.push(err62);
}
errors++;
}
}
}
else {
const err63 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/allowed_tools",schemaPath:"#/$defs/McpServer/properties/allowed_tools/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema102.properties.allowed_tools.type,parentSchema:schema102.properties.allowed_tools,data:data33};
if(vErrors === null){
vErrors = [err63];
}
else {
vErrors.push(err63);
}
errors++;
}
}
if(data24.timeout !== undefined){
let data35 = data24.timeout;
if(typeof data35 == "number"){
if(data35 <= 0 || isNaN(data35)){
const err64 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/timeout",schemaPath:"#/$defs/McpServer/properties/timeout/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema102.properties.timeout,data:data35};
if(vErrors === null){
vErrors = [err64];
}
else {
vErrors.push(err64);
}
errors++;
}
}
else {
const err65 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1")+"/timeout",schemaPath:"#/$defs/McpServer/properties/timeout/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema102.properties.timeout.type,parentSchema:schema102.properties.timeout,data:data35};
if(vErrors === null){
vErrors = [err65];
}
else {
vErrors.push(err65);
}
errors++;
}
}
}
else {
const err66 = {instancePath:instancePath+"/mcp_servers/" + key12.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/McpServer/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema102.type,parentSchema:schema102,data:data24};
if(vErrors === null){
vErrors = [err66];
}
else {
vErrors.push(err66);
}
errors++;
}
}
}
else {
const err67 = {instancePath:instancePath+"/mcp_servers",schemaPath:"#/properties/mcp_servers/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.mcp_servers.type,parentSchema:schema31.properties.mcp_servers,data:data23};
if(vErrors === null){
vErrors = [err67];
}
else {
vErrors.push(err67);
}
errors++;
}
}
if(data.stop_when !== undefined){
let data36 = data.stop_when;
const _errs99 = errors;
let valid35 = false;
let passing0 = null;
const _errs100 = errors;
if(!(validate60(data36, {instancePath:instancePath+"/stop_when",parentData:data,parentDataProperty:"stop_when",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate60.errors : vErrors.concat(validate60.errors);
errors = vErrors.length;
}
var _valid0 = _errs100 === errors;
if(_valid0){
valid35 = true;
passing0 = 0;
}
const _errs101 = errors;
if(Array.isArray(data36)){
if(data36.length < 1){
const err68 = {instancePath:instancePath+"/stop_when",schemaPath:"#/properties/stop_when/oneOf/1/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.stop_when.oneOf[1],data:data36};
if(vErrors === null){
vErrors = [err68];
}
else {
vErrors.push(err68);
}
errors++;
}
const len5 = data36.length;
for(let i5=0; i5<len5; i5++){
if(!(validate60(data36[i5], {instancePath:instancePath+"/stop_when/" + i5,parentData:data36,parentDataProperty:i5,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate60.errors : vErrors.concat(validate60.errors);
errors = vErrors.length;
}
}
}
else {
const err69 = {instancePath:instancePath+"/stop_when",schemaPath:"#/properties/stop_when/oneOf/1/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.stop_when.oneOf[1].type,parentSchema:schema31.properties.stop_when.oneOf[1],data:data36};
if(vErrors === null){
vErrors = [err69];
}
else {
vErrors.push(err69);
}
errors++;
}
var _valid0 = _errs101 === errors;
if(_valid0 && valid35){
valid35 = false;
passing0 = [passing0, 1];
}
else {
if(_valid0){
valid35 = true;
passing0 = 1;
}
}
if(!valid35){
const err70 = {instancePath:instancePath+"/stop_when",schemaPath:"#/properties/stop_when/oneOf",keyword:"oneOf",params:{passingSchemas: passing0},message:"must match exactly one schema in oneOf",schema:schema31.properties.stop_when.oneOf,parentSchema:schema31.properties.stop_when,data:data36};
if(vErrors === null){
vErrors = [err70];
}
else {
vErrors.push(err70);
}
errors++;
}
else {
errors = _errs99;
if(vErrors !== null){
if(_errs99){
vErrors.length = _errs99;
}
else {
vErrors = null;
}
}
}
}
if(data.gates !== undefined){
let data38 = data.gates;
if(data38 && typeof data38 == "object" && !Array.isArray(data38)){
for(const key16 in data38){
const _errs106 = errors;
if(typeof key16 === "string"){
if(!pattern6.test(key16)){
const err71 = {instancePath:instancePath+"/gates",schemaPath:"#/$defs/Identifier/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema33,data:key16,propertyName:key16};
if(vErrors === null){
vErrors = [err71];
}
else {
vErrors.push(err71);
}
errors++;
}
}
else {
const err72 = {instancePath:instancePath+"/gates",schemaPath:"#/$defs/Identifier/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema33.type,parentSchema:schema33,data:key16,propertyName:key16};
if(vErrors === null){
vErrors = [err72];
}
else {
vErrors.push(err72);
}
errors++;
}
var valid38 = _errs106 === errors;
if(!valid38){
const err73 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/propertyNames",keyword:"propertyNames",params:{propertyName: key16},message:"property name must be valid",schema:schema31.properties.gates.propertyNames,parentSchema:schema31.properties.gates,data:data38};
if(vErrors === null){
vErrors = [err73];
}
else {
vErrors.push(err73);
}
errors++;
}
}
for(const key17 in data38){
let data39 = data38[key17];
if(Array.isArray(data39)){
if(data39.length < 1){
const err74 = {instancePath:instancePath+"/gates/" + key17.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/gates/additionalProperties/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.gates.additionalProperties,data:data39};
if(vErrors === null){
vErrors = [err74];
}
else {
vErrors.push(err74);
}
errors++;
}
const len6 = data39.length;
for(let i6=0; i6<len6; i6++){
if(!(validate28(data39[i6], {instancePath:instancePath+"/gates/" + key17.replace(/~/g, "~0").replace(/\//g, "~1")+"/" + i6,parentData:data39,parentDataProperty:i6,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate28.errors : vErrors.concat(validate28.errors);
errors = vErrors.length;
}
}
}
else {
const err75 = {instancePath:instancePath+"/gates/" + key17.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/properties/gates/additionalProperties/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.gates.additionalProperties.type,parentSchema:schema31.properties.gates.additionalProperties,data:data39};
if(vErrors === null){
vErrors = [err75];
}
else {
vErrors.push(err75);
}
errors++;
}
}
}
else {
const err76 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.properties.gates.type,parentSchema:schema31.properties.gates,data:data38};
if(vErrors === null){
vErrors = [err76];
}
else {
vErrors.push(err76);
}
errors++;
}
}
}
else {
const err77 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.type,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err77];
}
else {
vErrors.push(err77);
}
errors++;
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

