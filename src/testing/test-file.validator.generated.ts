/* Generated from schemas/sop-test.v1.schema.json by scripts/build-validator.mjs (`npm run build`). Do not edit. */
// @ts-nocheck: ajv-generated JavaScript; src/testing/test-file.ts gives it its type.
/* eslint-disable */
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);

export const validate = validate20;
export default validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://sop-runner.dev/schemas/sop-test.v1.schema.json","title":"sop test file","description":"Test cases of an SOP (`sop test`): inputs, scripted answers and what the finished run must show (status, messages, path, artifacts, gates, usage). See docs/testing.md.","type":"object","additionalProperties":false,"required":["apiVersion","cases"],"properties":{"$schema":{"description":"URL or path of this schema, for editors.","type":"string"},"apiVersion":{"description":"Version of the test file format.","const":"sop-test/v1"},"sop":{"description":"The SOP under test, relative to this file. Default: `X.test.yaml` tests `X.yaml` beside it; `tests/NAME.yaml` tests the SOP of the parent folder (`sop.yaml`, or its only *.yaml).","type":"string","minLength":1},"defaults":{"description":"Fields every case starts from; a case's own fields win (inputs merge key by key; a case answer replaces a default answer for the same role, action, kind, gate, attempt and item).","$ref":"#/$defs/Defaults"},"cases":{"description":"The test cases, each a run of the SOP with scripted answers and what it must show.","type":"array","minItems":1,"items":{"$ref":"#/$defs/Case"}}},"$defs":{"Inputs":{"description":"The SOP's inputs, as `--input name=value` gives them.","type":"object","additionalProperties":{"type":["string","number","boolean"]}},"Defaults":{"type":"object","additionalProperties":false,"properties":{"inputs":{"description":"Inputs of every case; a case's `inputs` merge over them key by key.","$ref":"#/$defs/Inputs"},"answers":{"description":"sop-script/v1 answers of every case; a case answer for the same role, action, kind, gate, attempt and item replaces one.","$ref":"script.v1.schema.json#/$defs/Answers"},"strict":{"description":"True: a call no answer matches fails the case (SCRIPT_MISS). A case's own `strict` wins.","type":"boolean"},"n_round":{"description":"Overrides settings.n_round in every case without its own.","type":"integer","minimum":1},"investment":{"description":"Overrides settings.investment (USD) in every case without its own.","type":"number","exclusiveMinimum":0}}},"Case":{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"What the case shows; unique in the file.","type":"string","minLength":1},"inputs":{"description":"The SOP's inputs, as `--input name=value` gives them (a file input: \"@data.csv\", relative to this file).","$ref":"#/$defs/Inputs"},"script":{"description":"A sop-script/v1 file (relative to this file) whose answers come before the case's own `answers`.","type":"string","minLength":1},"answers":{"description":"sop-script/v1 answer entries (docs/scripted-model.md).","$ref":"script.v1.schema.json#/$defs/Answers"},"strict":{"description":"True: a call no answer matches fails the case (SCRIPT_MISS). Default false: the offline model answers it.","type":"boolean"},"workspace":{"description":"A folder (relative to this file) copied into the case's fresh workspace first.","type":"string","minLength":1},"n_round":{"description":"Overrides settings.n_round.","type":"integer","minimum":1},"investment":{"description":"Overrides settings.investment (USD).","type":"number","exclusiveMinimum":0},"skip":{"description":"The case is reported as skipped with this reason.","type":"string","minLength":1},"expect":{"description":"What the finished run must show; without `status`, `exit_code` or `error` it must complete.","$ref":"#/$defs/Expectations"}}},"Count":{"description":"A number, or bounds.","anyOf":[{"type":"integer","minimum":0},{"type":"object","additionalProperties":false,"minProperties":1,"properties":{"min":{"description":"At least this many.","type":"integer","minimum":0},"max":{"description":"At most this many.","type":"integer","minimum":0}}}]},"Expectations":{"description":"What the finished run must show. Every field is optional; each entry is checked and reported on its own.","type":"object","additionalProperties":false,"properties":{"status":{"description":"How the run ended.","enum":["completed","stalled","round_limit","budget_exhausted","gate_stopped","awaiting_approval","failed","interrupted"]},"exit_code":{"description":"The exit code `sop run` would give.","type":"integer","minimum":0},"error":{"description":"The error code of a failed run (COMMAND_FAILED, SCRIPT_MISS, ...).","type":"string","pattern":"^[A-Z][A-Z0-9_]*$"},"messages":{"description":"Published messages of a type (and sender, recipient, CEL `where`), and how many.","type":"array","items":{"$ref":"#/$defs/MessageExpectation"}},"path":{"description":"Steps that ran, as an ordered subsequence.","type":"array","items":{"$ref":"#/$defs/StepExpectation"}},"not_ran":{"description":"Actions that must not have run (without `action`: the role ran nothing).","type":"array","items":{"$ref":"#/$defs/NotRanExpectation"}},"artifacts":{"description":"Workspace files after the run: present or absent, their text, their JSON, or equal to a golden file.","type":"array","items":{"$ref":"#/$defs/ArtifactExpectation"}},"gates":{"description":"Gates by name: their outcomes in order, the revisions they caused, where a failure routed.","type":"array","items":{"$ref":"#/$defs/GateExpectation"}},"usage":{"description":"Bounds on the run's cost, tokens and model calls.","$ref":"#/$defs/UsageExpectation"}}},"MessageExpectation":{"description":"Published messages of `type` (and `from`, `to`, `where`): `count` of them (default: at least one).","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The message type.","type":"string","minLength":1},"from":{"description":"Sender role id (`user` for start messages).","type":"string","minLength":1},"to":{"description":"Recipient role id.","type":"string","minLength":1},"where":{"description":"CEL over `payload` and `message` {type, from, to, round, payload}.","type":"string","minLength":1},"count":{"description":"How many such messages: a number or { min, max }. Default: at least one.","$ref":"#/$defs/Count"}}},"StepExpectation":{"description":"A step that ran: a role, optionally its action and the round.","type":"object","additionalProperties":false,"required":["role"],"properties":{"role":{"description":"The role id.","type":"string","minLength":1},"action":{"description":"The action id (default: any action of the role).","type":"string","minLength":1},"round":{"description":"The round it ran in.","type":"integer","minimum":1}}},"NotRanExpectation":{"description":"An action that did not run, or (without `action`) a role that ran nothing.","type":"object","additionalProperties":false,"required":["role"],"properties":{"role":{"description":"The role id.","type":"string","minLength":1},"action":{"description":"The action id (default: every action of the role).","type":"string","minLength":1}}},"ArtifactExpectation":{"description":"A workspace file after the run: absent, or present (implied by any content check).","type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Relative to the workspace.","type":"string","minLength":1},"exists":{"description":"True: the file exists.","type":"boolean"},"absent":{"description":"True: the file does not exist.","type":"boolean"},"contains":{"description":"Text the file contains.","type":"string"},"matches":{"description":"A regular expression (RE2 syntax) the file matches.","type":"string","minLength":1},"golden":{"description":"A file (relative to the test file) this one equals; `sop test --update` rewrites it.","type":"string","minLength":1},"where":{"description":"CEL over the file's parsed JSON as `json`.","type":"string","minLength":1}}},"GateExpectation":{"description":"A gate by name; with none of `outcomes`, `revisions`, `routed_to`: it was checked.","type":"object","additionalProperties":false,"required":["gate"],"properties":{"gate":{"description":"The gate's name (`name`, or `<action>#<index>` without one).","type":"string","minLength":1},"outcomes":{"description":"The exact sequence of the gate's outcomes.","type":"array","items":{"enum":["passed","failed"]}},"revisions":{"description":"How many revisions the gate caused (failures with on_fail revise).","$ref":"#/$defs/Count"},"routed_to":{"description":"The message type a failing gate routed to.","type":"string","minLength":1}}},"UsageExpectation":{"description":"Bounds on the run's cost, tokens (prompt + completion) and model calls.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"max_cost_usd":{"description":"Most USD the run's model calls cost.","type":"number","minimum":0},"max_tokens":{"description":"Most tokens (prompt + completion) over the run.","type":"integer","minimum":0},"max_calls":{"description":"Most model calls.","type":"integer","minimum":0},"calls":{"description":"Exactly this many model calls.","type":"integer","minimum":0}}}}};
const func1 = require("ajv/dist/runtime/ucs2length").default;
const schema32 = {"type":"object","additionalProperties":false,"properties":{"inputs":{"description":"Inputs of every case; a case's `inputs` merge over them key by key.","$ref":"#/$defs/Inputs"},"answers":{"description":"sop-script/v1 answers of every case; a case answer for the same role, action, kind, gate, attempt and item replaces one.","$ref":"script.v1.schema.json#/$defs/Answers"},"strict":{"description":"True: a call no answer matches fails the case (SCRIPT_MISS). A case's own `strict` wins.","type":"boolean"},"n_round":{"description":"Overrides settings.n_round in every case without its own.","type":"integer","minimum":1},"investment":{"description":"Overrides settings.investment (USD) in every case without its own.","type":"number","exclusiveMinimum":0}}};
const schema33 = {"description":"The SOP's inputs, as `--input name=value` gives them.","type":"object","additionalProperties":{"type":["string","number","boolean"]}};
const schema35 = {"description":"The answers, in order. The most specific matching answer wins (the one naming more of `attempt`, `item` and `gate`); matching answers equally specific are used in file order, one per call, and the last of them answers every call after.","type":"array","items":{"$ref":"#/$defs/Answer"}};
const schema36 = {"description":"Who it answers (`role`, `action`, `gate`, `attempt`, `item`) and one answer: `output`, `reask`, `judge`, `human`, `choose` or `plan`.","type":"object","additionalProperties":false,"required":["role"],"properties":{"role":{"description":"Role id that makes the call.","$ref":"#/$defs/Id"},"action":{"description":"Action id (every answer but `choose` and `plan`).","$ref":"#/$defs/Id"},"gate":{"description":"Gate name, for `judge` and `human` answers; without it the answer serves every judge (or human) gate of the action.","type":"string","minLength":1},"attempt":{"description":"Which output of the action run it answers: 1 the first, 2 the first revision after a gate failed, ...; `every` (default) any.","anyOf":[{"type":"integer","minimum":1},{"const":"every"}]},"item":{"description":"foreach item it answers: its 0-based index, or its key (a string item itself; else its `id`, `key`, `name`, `file` or `path`).","anyOf":[{"type":"integer","minimum":0},{"type":"string","minLength":1}]},"output":{"description":"The action's output: text as written for text, markdown and code outputs; any other value is sent as JSON (the payload of a `format: json` output).","tsType":"unknown"},"reask":{"description":"The answer to a re-ask after an invalid output (same forms as `output`).","tsType":"unknown"},"tools":{"description":"With `output` or `reask`: tool calls made first, one per turn, in order; then the output is the final answer.","type":"array","items":{"$ref":"#/$defs/ToolCall"}},"judge":{"$ref":"#/$defs/Verdict"},"human":{"$ref":"#/$defs/HumanDecision"},"choose":{"description":"A react role's next action (`done` to stop).","$ref":"#/$defs/Id"},"plan":{"description":"A plan_and_act role's plan: the actions to run, in order.","type":"array","items":{"$ref":"#/$defs/Id"}}}};
const schema37 = {"type":"string","pattern":"^[a-z][a-z0-9_]*$"};
const schema39 = {"type":"object","additionalProperties":false,"required":["tool"],"properties":{"tool":{"description":"Tool name as the SOP writes it (`fs.read`, `docs.search`).","type":"string","minLength":1},"args":{"description":"The call's arguments.","type":"object","default":{},"additionalProperties":true}}};
const schema40 = {"description":"A judge gate's verdict: a score from 0 to 10 (the gate passes at `min_score`) and reasons, which become the author's feedback when it fails.","type":"object","additionalProperties":false,"required":["score"],"properties":{"score":{"description":"The judge's score, 0 to 10.","type":"number","minimum":0,"maximum":10},"reasons":{"description":"Why; the author's feedback when the gate fails.","type":"array","items":{"type":"string"},"default":[]}}};
const schema41 = {"description":"A human gate's decision: `approve`, `{ reject: feedback }` or `{ edit: new output }` (text, or a value sent as JSON).","anyOf":[{"const":"approve"},{"type":"object","additionalProperties":false,"required":["reject"],"properties":{"reject":{"description":"The reviewer's feedback: the gate fails with it (and `on_fail` decides what follows).","type":"string","minLength":1}}},{"type":"object","additionalProperties":false,"required":["edit"],"properties":{"edit":{"description":"The output as the reviewer edited it (text, or a value sent as JSON).","tsType":"unknown"}}}]};
const func2 = Object.prototype.hasOwnProperty;
const pattern4 = new RegExp("^[a-z][a-z0-9_]*$", "u");

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
if(data.role === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "role"},message:"must have required property '"+"role"+"'",schema:schema36.required,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema36.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.role !== undefined){
let data0 = data.role;
if(typeof data0 === "string"){
if(!pattern4.test(data0)){
const err2 = {instancePath:instancePath+"/role",schemaPath:"#/$defs/Id/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema37,data:data0};
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
const err3 = {instancePath:instancePath+"/role",schemaPath:"#/$defs/Id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.action !== undefined){
let data1 = data.action;
if(typeof data1 === "string"){
if(!pattern4.test(data1)){
const err4 = {instancePath:instancePath+"/action",schemaPath:"#/$defs/Id/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema37,data:data1};
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
const err5 = {instancePath:instancePath+"/action",schemaPath:"#/$defs/Id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.gate !== undefined){
let data2 = data.gate;
if(typeof data2 === "string"){
if(func1(data2) < 1){
const err6 = {instancePath:instancePath+"/gate",schemaPath:"#/properties/gate/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema36.properties.gate,data:data2};
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
const err7 = {instancePath:instancePath+"/gate",schemaPath:"#/properties/gate/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema36.properties.gate.type,parentSchema:schema36.properties.gate,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.attempt !== undefined){
let data3 = data.attempt;
const _errs11 = errors;
let valid3 = false;
const _errs12 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err8 = {instancePath:instancePath+"/attempt",schemaPath:"#/properties/attempt/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema36.properties.attempt.anyOf[0].type,parentSchema:schema36.properties.attempt.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 1 || isNaN(data3)){
const err9 = {instancePath:instancePath+"/attempt",schemaPath:"#/properties/attempt/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema36.properties.attempt.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
var _valid0 = _errs12 === errors;
valid3 = valid3 || _valid0;
const _errs14 = errors;
if("every" !== data3){
const err10 = {instancePath:instancePath+"/attempt",schemaPath:"#/properties/attempt/anyOf/1/const",keyword:"const",params:{allowedValue: "every"},message:"must be equal to constant",schema:"every",parentSchema:schema36.properties.attempt.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
var _valid0 = _errs14 === errors;
valid3 = valid3 || _valid0;
if(!valid3){
const err11 = {instancePath:instancePath+"/attempt",schemaPath:"#/properties/attempt/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema36.properties.attempt.anyOf,parentSchema:schema36.properties.attempt,data:data3};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
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
if(data.item !== undefined){
let data4 = data.item;
const _errs16 = errors;
let valid4 = false;
const _errs17 = errors;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
const err12 = {instancePath:instancePath+"/item",schemaPath:"#/properties/item/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema36.properties.item.anyOf[0].type,parentSchema:schema36.properties.item.anyOf[0],data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(typeof data4 == "number"){
if(data4 < 0 || isNaN(data4)){
const err13 = {instancePath:instancePath+"/item",schemaPath:"#/properties/item/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema36.properties.item.anyOf[0],data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
var _valid1 = _errs17 === errors;
valid4 = valid4 || _valid1;
const _errs19 = errors;
if(typeof data4 === "string"){
if(func1(data4) < 1){
const err14 = {instancePath:instancePath+"/item",schemaPath:"#/properties/item/anyOf/1/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema36.properties.item.anyOf[1],data:data4};
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
const err15 = {instancePath:instancePath+"/item",schemaPath:"#/properties/item/anyOf/1/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema36.properties.item.anyOf[1].type,parentSchema:schema36.properties.item.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
var _valid1 = _errs19 === errors;
valid4 = valid4 || _valid1;
if(!valid4){
const err16 = {instancePath:instancePath+"/item",schemaPath:"#/properties/item/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema36.properties.item.anyOf,parentSchema:schema36.properties.item,data:data4};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
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
if(data.tools !== undefined){
let data5 = data.tools;
if(Array.isArray(data5)){
const len0 = data5.length;
for(let i0=0; i0<len0; i0++){
let data6 = data5[i0];
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.tool === undefined){
const err17 = {instancePath:instancePath+"/tools/" + i0,schemaPath:"#/$defs/ToolCall/required",keyword:"required",params:{missingProperty: "tool"},message:"must have required property '"+"tool"+"'",schema:schema39.required,parentSchema:schema39,data:data6};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
for(const key1 in data6){
if(!((key1 === "tool") || (key1 === "args"))){
const err18 = {instancePath:instancePath+"/tools/" + i0,schemaPath:"#/$defs/ToolCall/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema39,data:data6};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data6.tool !== undefined){
let data7 = data6.tool;
if(typeof data7 === "string"){
if(func1(data7) < 1){
const err19 = {instancePath:instancePath+"/tools/" + i0+"/tool",schemaPath:"#/$defs/ToolCall/properties/tool/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema39.properties.tool,data:data7};
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
const err20 = {instancePath:instancePath+"/tools/" + i0+"/tool",schemaPath:"#/$defs/ToolCall/properties/tool/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema39.properties.tool.type,parentSchema:schema39.properties.tool,data:data7};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data6.args !== undefined){
let data8 = data6.args;
if(data8 && typeof data8 == "object" && !Array.isArray(data8)){
}
else {
const err21 = {instancePath:instancePath+"/tools/" + i0+"/args",schemaPath:"#/$defs/ToolCall/properties/args/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema39.properties.args.type,parentSchema:schema39.properties.args,data:data8};
if(vErrors === null){
vErrors = [err21];
}
else {
vErrors.push(err21);
}
errors++;
}
}
}
else {
const err22 = {instancePath:instancePath+"/tools/" + i0,schemaPath:"#/$defs/ToolCall/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema39.type,parentSchema:schema39,data:data6};
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
const err23 = {instancePath:instancePath+"/tools",schemaPath:"#/properties/tools/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.properties.tools.type,parentSchema:schema36.properties.tools,data:data5};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
if(data.judge !== undefined){
let data9 = data.judge;
if(data9 && typeof data9 == "object" && !Array.isArray(data9)){
if(data9.score === undefined){
const err24 = {instancePath:instancePath+"/judge",schemaPath:"#/$defs/Verdict/required",keyword:"required",params:{missingProperty: "score"},message:"must have required property '"+"score"+"'",schema:schema40.required,parentSchema:schema40,data:data9};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
for(const key2 in data9){
if(!((key2 === "score") || (key2 === "reasons"))){
const err25 = {instancePath:instancePath+"/judge",schemaPath:"#/$defs/Verdict/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema40,data:data9};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
}
if(data9.score !== undefined){
let data10 = data9.score;
if(typeof data10 == "number"){
if(data10 > 10 || isNaN(data10)){
const err26 = {instancePath:instancePath+"/judge/score",schemaPath:"#/$defs/Verdict/properties/score/maximum",keyword:"maximum",params:{comparison: "<=", limit: 10},message:"must be <= 10",schema:10,parentSchema:schema40.properties.score,data:data10};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
if(data10 < 0 || isNaN(data10)){
const err27 = {instancePath:instancePath+"/judge/score",schemaPath:"#/$defs/Verdict/properties/score/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema40.properties.score,data:data10};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/judge/score",schemaPath:"#/$defs/Verdict/properties/score/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema40.properties.score.type,parentSchema:schema40.properties.score,data:data10};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data9.reasons !== undefined){
let data11 = data9.reasons;
if(Array.isArray(data11)){
const len1 = data11.length;
for(let i1=0; i1<len1; i1++){
let data12 = data11[i1];
if(typeof data12 !== "string"){
const err29 = {instancePath:instancePath+"/judge/reasons/" + i1,schemaPath:"#/$defs/Verdict/properties/reasons/items/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema40.properties.reasons.items.type,parentSchema:schema40.properties.reasons.items,data:data12};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
}
else {
const err30 = {instancePath:instancePath+"/judge/reasons",schemaPath:"#/$defs/Verdict/properties/reasons/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema40.properties.reasons.type,parentSchema:schema40.properties.reasons,data:data11};
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
else {
const err31 = {instancePath:instancePath+"/judge",schemaPath:"#/$defs/Verdict/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema40.type,parentSchema:schema40,data:data9};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data.human !== undefined){
let data13 = data.human;
const _errs44 = errors;
let valid14 = false;
const _errs45 = errors;
if("approve" !== data13){
const err32 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/0/const",keyword:"const",params:{allowedValue: "approve"},message:"must be equal to constant",schema:"approve",parentSchema:schema41.anyOf[0],data:data13};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
var _valid2 = _errs45 === errors;
valid14 = valid14 || _valid2;
const _errs46 = errors;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
if(data13.reject === undefined){
const err33 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/1/required",keyword:"required",params:{missingProperty: "reject"},message:"must have required property '"+"reject"+"'",schema:schema41.anyOf[1].required,parentSchema:schema41.anyOf[1],data:data13};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
for(const key3 in data13){
if(!(key3 === "reject")){
const err34 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema41.anyOf[1],data:data13};
if(vErrors === null){
vErrors = [err34];
}
else {
vErrors.push(err34);
}
errors++;
}
}
if(data13.reject !== undefined){
let data14 = data13.reject;
if(typeof data14 === "string"){
if(func1(data14) < 1){
const err35 = {instancePath:instancePath+"/human/reject",schemaPath:"#/$defs/HumanDecision/anyOf/1/properties/reject/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema41.anyOf[1].properties.reject,data:data14};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
else {
const err36 = {instancePath:instancePath+"/human/reject",schemaPath:"#/$defs/HumanDecision/anyOf/1/properties/reject/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema41.anyOf[1].properties.reject.type,parentSchema:schema41.anyOf[1].properties.reject,data:data14};
if(vErrors === null){
vErrors = [err36];
}
else {
vErrors.push(err36);
}
errors++;
}
}
}
else {
const err37 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.anyOf[1].type,parentSchema:schema41.anyOf[1],data:data13};
if(vErrors === null){
vErrors = [err37];
}
else {
vErrors.push(err37);
}
errors++;
}
var _valid2 = _errs46 === errors;
valid14 = valid14 || _valid2;
if(_valid2){
var props0 = true;
}
const _errs51 = errors;
if(data13 && typeof data13 == "object" && !Array.isArray(data13)){
if(data13.edit === undefined){
const err38 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/2/required",keyword:"required",params:{missingProperty: "edit"},message:"must have required property '"+"edit"+"'",schema:schema41.anyOf[2].required,parentSchema:schema41.anyOf[2],data:data13};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
for(const key4 in data13){
if(!(key4 === "edit")){
const err39 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/2/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema41.anyOf[2],data:data13};
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
const err40 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf/2/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema41.anyOf[2].type,parentSchema:schema41.anyOf[2],data:data13};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
var _valid2 = _errs51 === errors;
valid14 = valid14 || _valid2;
if(_valid2){
if(props0 !== true){
props0 = true;
}
}
if(!valid14){
const err41 = {instancePath:instancePath+"/human",schemaPath:"#/$defs/HumanDecision/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema41.anyOf,parentSchema:schema41,data:data13};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
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
if(data.choose !== undefined){
let data15 = data.choose;
if(typeof data15 === "string"){
if(!pattern4.test(data15)){
const err42 = {instancePath:instancePath+"/choose",schemaPath:"#/$defs/Id/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema37,data:data15};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
else {
const err43 = {instancePath:instancePath+"/choose",schemaPath:"#/$defs/Id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data15};
if(vErrors === null){
vErrors = [err43];
}
else {
vErrors.push(err43);
}
errors++;
}
}
if(data.plan !== undefined){
let data16 = data.plan;
if(Array.isArray(data16)){
const len2 = data16.length;
for(let i2=0; i2<len2; i2++){
let data17 = data16[i2];
if(typeof data17 === "string"){
if(!pattern4.test(data17)){
const err44 = {instancePath:instancePath+"/plan/" + i2,schemaPath:"#/$defs/Id/pattern",keyword:"pattern",params:{pattern: "^[a-z][a-z0-9_]*$"},message:"must match pattern \""+"^[a-z][a-z0-9_]*$"+"\"",schema:"^[a-z][a-z0-9_]*$",parentSchema:schema37,data:data17};
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
const err45 = {instancePath:instancePath+"/plan/" + i2,schemaPath:"#/$defs/Id/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema37.type,parentSchema:schema37,data:data17};
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
const err46 = {instancePath:instancePath+"/plan",schemaPath:"#/properties/plan/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema36.properties.plan.type,parentSchema:schema36.properties.plan,data:data16};
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
const err47 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema36.type,parentSchema:schema36,data};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
validate24.errors = vErrors;
return errors === 0;
}
validate24.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


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
if(Array.isArray(data)){
const len0 = data.length;
for(let i0=0; i0<len0; i0++){
if(!(validate24(data[i0], {instancePath:instancePath+"/" + i0,parentData:data,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate24.errors : vErrors.concat(validate24.errors);
errors = vErrors.length;
}
}
}
else {
const err0 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema35.type,parentSchema:schema35,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
validate27.errors = vErrors;
return errors === 0;
}
validate27.evaluated = {"items":true,"dynamicProps":false,"dynamicItems":false};


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
if(!(((((key0 === "inputs") || (key0 === "answers")) || (key0 === "strict")) || (key0 === "n_round")) || (key0 === "investment"))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema32,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.inputs !== undefined){
let data0 = data.inputs;
if(data0 && typeof data0 == "object" && !Array.isArray(data0)){
for(const key1 in data0){
let data1 = data0[key1];
if(((typeof data1 !== "string") && (!(typeof data1 == "number"))) && (typeof data1 !== "boolean")){
const err1 = {instancePath:instancePath+"/inputs/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/Inputs/additionalProperties/type",keyword:"type",params:{type: schema33.additionalProperties.type},message:"must be string,number,boolean",schema:schema33.additionalProperties.type,parentSchema:schema33.additionalProperties,data:data1};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
}
else {
const err2 = {instancePath:instancePath+"/inputs",schemaPath:"#/$defs/Inputs/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data:data0};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.answers !== undefined){
if(!(validate27(data.answers, {instancePath:instancePath+"/answers",parentData:data,parentDataProperty:"answers",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
}
if(data.strict !== undefined){
let data3 = data.strict;
if(typeof data3 !== "boolean"){
const err3 = {instancePath:instancePath+"/strict",schemaPath:"#/properties/strict/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema32.properties.strict.type,parentSchema:schema32.properties.strict,data:data3};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.n_round !== undefined){
let data4 = data.n_round;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
const err4 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema32.properties.n_round.type,parentSchema:schema32.properties.n_round,data:data4};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
if(typeof data4 == "number"){
if(data4 < 1 || isNaN(data4)){
const err5 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema32.properties.n_round,data:data4};
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
if(data.investment !== undefined){
let data5 = data.investment;
if(typeof data5 == "number"){
if(data5 <= 0 || isNaN(data5)){
const err6 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema32.properties.investment,data:data5};
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
const err7 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema32.properties.investment.type,parentSchema:schema32.properties.investment,data:data5};
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
const err8 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema32.type,parentSchema:schema32,data};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema45 = {"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"description":"What the case shows; unique in the file.","type":"string","minLength":1},"inputs":{"description":"The SOP's inputs, as `--input name=value` gives them (a file input: \"@data.csv\", relative to this file).","$ref":"#/$defs/Inputs"},"script":{"description":"A sop-script/v1 file (relative to this file) whose answers come before the case's own `answers`.","type":"string","minLength":1},"answers":{"description":"sop-script/v1 answer entries (docs/scripted-model.md).","$ref":"script.v1.schema.json#/$defs/Answers"},"strict":{"description":"True: a call no answer matches fails the case (SCRIPT_MISS). Default false: the offline model answers it.","type":"boolean"},"workspace":{"description":"A folder (relative to this file) copied into the case's fresh workspace first.","type":"string","minLength":1},"n_round":{"description":"Overrides settings.n_round.","type":"integer","minimum":1},"investment":{"description":"Overrides settings.investment (USD).","type":"number","exclusiveMinimum":0},"skip":{"description":"The case is reported as skipped with this reason.","type":"string","minLength":1},"expect":{"description":"What the finished run must show; without `status`, `exit_code` or `error` it must complete.","$ref":"#/$defs/Expectations"}}};
const schema47 = {"description":"What the finished run must show. Every field is optional; each entry is checked and reported on its own.","type":"object","additionalProperties":false,"properties":{"status":{"description":"How the run ended.","enum":["completed","stalled","round_limit","budget_exhausted","gate_stopped","awaiting_approval","failed","interrupted"]},"exit_code":{"description":"The exit code `sop run` would give.","type":"integer","minimum":0},"error":{"description":"The error code of a failed run (COMMAND_FAILED, SCRIPT_MISS, ...).","type":"string","pattern":"^[A-Z][A-Z0-9_]*$"},"messages":{"description":"Published messages of a type (and sender, recipient, CEL `where`), and how many.","type":"array","items":{"$ref":"#/$defs/MessageExpectation"}},"path":{"description":"Steps that ran, as an ordered subsequence.","type":"array","items":{"$ref":"#/$defs/StepExpectation"}},"not_ran":{"description":"Actions that must not have run (without `action`: the role ran nothing).","type":"array","items":{"$ref":"#/$defs/NotRanExpectation"}},"artifacts":{"description":"Workspace files after the run: present or absent, their text, their JSON, or equal to a golden file.","type":"array","items":{"$ref":"#/$defs/ArtifactExpectation"}},"gates":{"description":"Gates by name: their outcomes in order, the revisions they caused, where a failure routed.","type":"array","items":{"$ref":"#/$defs/GateExpectation"}},"usage":{"description":"Bounds on the run's cost, tokens and model calls.","$ref":"#/$defs/UsageExpectation"}}};
const schema50 = {"description":"A step that ran: a role, optionally its action and the round.","type":"object","additionalProperties":false,"required":["role"],"properties":{"role":{"description":"The role id.","type":"string","minLength":1},"action":{"description":"The action id (default: any action of the role).","type":"string","minLength":1},"round":{"description":"The round it ran in.","type":"integer","minimum":1}}};
const schema51 = {"description":"An action that did not run, or (without `action`) a role that ran nothing.","type":"object","additionalProperties":false,"required":["role"],"properties":{"role":{"description":"The role id.","type":"string","minLength":1},"action":{"description":"The action id (default: every action of the role).","type":"string","minLength":1}}};
const schema52 = {"description":"A workspace file after the run: absent, or present (implied by any content check).","type":"object","additionalProperties":false,"required":["path"],"properties":{"path":{"description":"Relative to the workspace.","type":"string","minLength":1},"exists":{"description":"True: the file exists.","type":"boolean"},"absent":{"description":"True: the file does not exist.","type":"boolean"},"contains":{"description":"Text the file contains.","type":"string"},"matches":{"description":"A regular expression (RE2 syntax) the file matches.","type":"string","minLength":1},"golden":{"description":"A file (relative to the test file) this one equals; `sop test --update` rewrites it.","type":"string","minLength":1},"where":{"description":"CEL over the file's parsed JSON as `json`.","type":"string","minLength":1}}};
const schema55 = {"description":"Bounds on the run's cost, tokens (prompt + completion) and model calls.","type":"object","additionalProperties":false,"minProperties":1,"properties":{"max_cost_usd":{"description":"Most USD the run's model calls cost.","type":"number","minimum":0},"max_tokens":{"description":"Most tokens (prompt + completion) over the run.","type":"integer","minimum":0},"max_calls":{"description":"Most model calls.","type":"integer","minimum":0},"calls":{"description":"Exactly this many model calls.","type":"integer","minimum":0}}};
const pattern8 = new RegExp("^[A-Z][A-Z0-9_]*$", "u");
const schema48 = {"description":"Published messages of `type` (and `from`, `to`, `where`): `count` of them (default: at least one).","type":"object","additionalProperties":false,"required":["type"],"properties":{"type":{"description":"The message type.","type":"string","minLength":1},"from":{"description":"Sender role id (`user` for start messages).","type":"string","minLength":1},"to":{"description":"Recipient role id.","type":"string","minLength":1},"where":{"description":"CEL over `payload` and `message` {type, from, to, round, payload}.","type":"string","minLength":1},"count":{"description":"How many such messages: a number or { min, max }. Default: at least one.","$ref":"#/$defs/Count"}}};
const schema49 = {"description":"A number, or bounds.","anyOf":[{"type":"integer","minimum":0},{"type":"object","additionalProperties":false,"minProperties":1,"properties":{"min":{"description":"At least this many.","type":"integer","minimum":0},"max":{"description":"At most this many.","type":"integer","minimum":0}}}]};

function validate34(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate34.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.type === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "type"},message:"must have required property '"+"type"+"'",schema:schema48.required,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "from")) || (key0 === "to")) || (key0 === "where")) || (key0 === "count"))){
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
if(data.type !== undefined){
let data0 = data.type;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema48.properties.type,data:data0};
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
const err3 = {instancePath:instancePath+"/type",schemaPath:"#/properties/type/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.type.type,parentSchema:schema48.properties.type,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.from !== undefined){
let data1 = data.from;
if(typeof data1 === "string"){
if(func1(data1) < 1){
const err4 = {instancePath:instancePath+"/from",schemaPath:"#/properties/from/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema48.properties.from,data:data1};
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
const err5 = {instancePath:instancePath+"/from",schemaPath:"#/properties/from/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.from.type,parentSchema:schema48.properties.from,data:data1};
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
let data2 = data.to;
if(typeof data2 === "string"){
if(func1(data2) < 1){
const err6 = {instancePath:instancePath+"/to",schemaPath:"#/properties/to/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema48.properties.to,data:data2};
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
const err7 = {instancePath:instancePath+"/to",schemaPath:"#/properties/to/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.to.type,parentSchema:schema48.properties.to,data:data2};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.where !== undefined){
let data3 = data.where;
if(typeof data3 === "string"){
if(func1(data3) < 1){
const err8 = {instancePath:instancePath+"/where",schemaPath:"#/properties/where/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema48.properties.where,data:data3};
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
const err9 = {instancePath:instancePath+"/where",schemaPath:"#/properties/where/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema48.properties.where.type,parentSchema:schema48.properties.where,data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data.count !== undefined){
let data4 = data.count;
const _errs12 = errors;
let valid2 = false;
const _errs13 = errors;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
const err10 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[0].type,parentSchema:schema49.anyOf[0],data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(typeof data4 == "number"){
if(data4 < 0 || isNaN(data4)){
const err11 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[0],data:data4};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
}
var _valid0 = _errs13 === errors;
valid2 = valid2 || _valid0;
const _errs15 = errors;
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
if(Object.keys(data4).length < 1){
const err12 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf/1/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema49.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
for(const key1 in data4){
if(!((key1 === "min") || (key1 === "max"))){
const err13 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema49.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
}
if(data4.min !== undefined){
let data5 = data4.min;
if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){
const err14 = {instancePath:instancePath+"/count/min",schemaPath:"#/$defs/Count/anyOf/1/properties/min/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[1].properties.min.type,parentSchema:schema49.anyOf[1].properties.min,data:data5};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
if(typeof data5 == "number"){
if(data5 < 0 || isNaN(data5)){
const err15 = {instancePath:instancePath+"/count/min",schemaPath:"#/$defs/Count/anyOf/1/properties/min/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[1].properties.min,data:data5};
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
if(data4.max !== undefined){
let data6 = data4.max;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
const err16 = {instancePath:instancePath+"/count/max",schemaPath:"#/$defs/Count/anyOf/1/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[1].properties.max.type,parentSchema:schema49.anyOf[1].properties.max,data:data6};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
if(typeof data6 == "number"){
if(data6 < 0 || isNaN(data6)){
const err17 = {instancePath:instancePath+"/count/max",schemaPath:"#/$defs/Count/anyOf/1/properties/max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[1].properties.max,data:data6};
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
}
else {
const err18 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.anyOf[1].type,parentSchema:schema49.anyOf[1],data:data4};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
var _valid0 = _errs15 === errors;
valid2 = valid2 || _valid0;
if(!valid2){
const err19 = {instancePath:instancePath+"/count",schemaPath:"#/$defs/Count/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema49.anyOf,parentSchema:schema49,data:data4};
if(vErrors === null){
vErrors = [err19];
}
else {
vErrors.push(err19);
}
errors++;
}
else {
errors = _errs12;
if(vErrors !== null){
if(_errs12){
vErrors.length = _errs12;
}
else {
vErrors = null;
}
}
}
}
}
else {
const err20 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema48.type,parentSchema:schema48,data};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
validate34.errors = vErrors;
return errors === 0;
}
validate34.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const schema53 = {"description":"A gate by name; with none of `outcomes`, `revisions`, `routed_to`: it was checked.","type":"object","additionalProperties":false,"required":["gate"],"properties":{"gate":{"description":"The gate's name (`name`, or `<action>#<index>` without one).","type":"string","minLength":1},"outcomes":{"description":"The exact sequence of the gate's outcomes.","type":"array","items":{"enum":["passed","failed"]}},"revisions":{"description":"How many revisions the gate caused (failures with on_fail revise).","$ref":"#/$defs/Count"},"routed_to":{"description":"The message type a failing gate routed to.","type":"string","minLength":1}}};

function validate36(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate36.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.gate === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "gate"},message:"must have required property '"+"gate"+"'",schema:schema53.required,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!((((key0 === "gate") || (key0 === "outcomes")) || (key0 === "revisions")) || (key0 === "routed_to"))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.gate !== undefined){
let data0 = data.gate;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/gate",schemaPath:"#/properties/gate/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema53.properties.gate,data:data0};
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
const err3 = {instancePath:instancePath+"/gate",schemaPath:"#/properties/gate/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema53.properties.gate.type,parentSchema:schema53.properties.gate,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.outcomes !== undefined){
let data1 = data.outcomes;
if(Array.isArray(data1)){
const len0 = data1.length;
for(let i0=0; i0<len0; i0++){
let data2 = data1[i0];
if(!((data2 === "passed") || (data2 === "failed"))){
const err4 = {instancePath:instancePath+"/outcomes/" + i0,schemaPath:"#/properties/outcomes/items/enum",keyword:"enum",params:{allowedValues: schema53.properties.outcomes.items.enum},message:"must be equal to one of the allowed values",schema:schema53.properties.outcomes.items.enum,parentSchema:schema53.properties.outcomes.items,data:data2};
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
const err5 = {instancePath:instancePath+"/outcomes",schemaPath:"#/properties/outcomes/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema53.properties.outcomes.type,parentSchema:schema53.properties.outcomes,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.revisions !== undefined){
let data3 = data.revisions;
const _errs9 = errors;
let valid4 = false;
const _errs10 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
const err6 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf/0/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[0].type,parentSchema:schema49.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
if(typeof data3 == "number"){
if(data3 < 0 || isNaN(data3)){
const err7 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf/0/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[0],data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
var _valid0 = _errs10 === errors;
valid4 = valid4 || _valid0;
const _errs12 = errors;
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
if(Object.keys(data3).length < 1){
const err8 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf/1/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema49.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
for(const key1 in data3){
if(!((key1 === "min") || (key1 === "max"))){
const err9 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf/1/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema49.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
}
if(data3.min !== undefined){
let data4 = data3.min;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
const err10 = {instancePath:instancePath+"/revisions/min",schemaPath:"#/$defs/Count/anyOf/1/properties/min/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[1].properties.min.type,parentSchema:schema49.anyOf[1].properties.min,data:data4};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
if(typeof data4 == "number"){
if(data4 < 0 || isNaN(data4)){
const err11 = {instancePath:instancePath+"/revisions/min",schemaPath:"#/$defs/Count/anyOf/1/properties/min/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[1].properties.min,data:data4};
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
if(data3.max !== undefined){
let data5 = data3.max;
if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){
const err12 = {instancePath:instancePath+"/revisions/max",schemaPath:"#/$defs/Count/anyOf/1/properties/max/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema49.anyOf[1].properties.max.type,parentSchema:schema49.anyOf[1].properties.max,data:data5};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
if(typeof data5 == "number"){
if(data5 < 0 || isNaN(data5)){
const err13 = {instancePath:instancePath+"/revisions/max",schemaPath:"#/$defs/Count/anyOf/1/properties/max/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema49.anyOf[1].properties.max,data:data5};
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
}
else {
const err14 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf/1/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema49.anyOf[1].type,parentSchema:schema49.anyOf[1],data:data3};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
var _valid0 = _errs12 === errors;
valid4 = valid4 || _valid0;
if(!valid4){
const err15 = {instancePath:instancePath+"/revisions",schemaPath:"#/$defs/Count/anyOf",keyword:"anyOf",params:{},message:"must match a schema in anyOf",schema:schema49.anyOf,parentSchema:schema49,data:data3};
if(vErrors === null){
vErrors = [err15];
}
else {
vErrors.push(err15);
}
errors++;
}
else {
errors = _errs9;
if(vErrors !== null){
if(_errs9){
vErrors.length = _errs9;
}
else {
vErrors = null;
}
}
}
}
if(data.routed_to !== undefined){
let data6 = data.routed_to;
if(typeof data6 === "string"){
if(func1(data6) < 1){
const err16 = {instancePath:instancePath+"/routed_to",schemaPath:"#/properties/routed_to/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema53.properties.routed_to,data:data6};
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
const err17 = {instancePath:instancePath+"/routed_to",schemaPath:"#/properties/routed_to/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema53.properties.routed_to.type,parentSchema:schema53.properties.routed_to,data:data6};
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
else {
const err18 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema53.type,parentSchema:schema53,data};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
validate36.errors = vErrors;
return errors === 0;
}
validate36.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate33(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate33.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(data && typeof data == "object" && !Array.isArray(data)){
for(const key0 in data){
if(!(func2.call(schema47.properties, key0))){
const err0 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema47,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
}
if(data.status !== undefined){
let data0 = data.status;
if(!((((((((data0 === "completed") || (data0 === "stalled")) || (data0 === "round_limit")) || (data0 === "budget_exhausted")) || (data0 === "gate_stopped")) || (data0 === "awaiting_approval")) || (data0 === "failed")) || (data0 === "interrupted"))){
const err1 = {instancePath:instancePath+"/status",schemaPath:"#/properties/status/enum",keyword:"enum",params:{allowedValues: schema47.properties.status.enum},message:"must be equal to one of the allowed values",schema:schema47.properties.status.enum,parentSchema:schema47.properties.status,data:data0};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.exit_code !== undefined){
let data1 = data.exit_code;
if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){
const err2 = {instancePath:instancePath+"/exit_code",schemaPath:"#/properties/exit_code/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema47.properties.exit_code.type,parentSchema:schema47.properties.exit_code,data:data1};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
if(typeof data1 == "number"){
if(data1 < 0 || isNaN(data1)){
const err3 = {instancePath:instancePath+"/exit_code",schemaPath:"#/properties/exit_code/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema47.properties.exit_code,data:data1};
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
if(data.error !== undefined){
let data2 = data.error;
if(typeof data2 === "string"){
if(!pattern8.test(data2)){
const err4 = {instancePath:instancePath+"/error",schemaPath:"#/properties/error/pattern",keyword:"pattern",params:{pattern: "^[A-Z][A-Z0-9_]*$"},message:"must match pattern \""+"^[A-Z][A-Z0-9_]*$"+"\"",schema:"^[A-Z][A-Z0-9_]*$",parentSchema:schema47.properties.error,data:data2};
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
const err5 = {instancePath:instancePath+"/error",schemaPath:"#/properties/error/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema47.properties.error.type,parentSchema:schema47.properties.error,data:data2};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.messages !== undefined){
let data3 = data.messages;
if(Array.isArray(data3)){
const len0 = data3.length;
for(let i0=0; i0<len0; i0++){
if(!(validate34(data3[i0], {instancePath:instancePath+"/messages/" + i0,parentData:data3,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate34.errors : vErrors.concat(validate34.errors);
errors = vErrors.length;
}
}
}
else {
const err6 = {instancePath:instancePath+"/messages",schemaPath:"#/properties/messages/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema47.properties.messages.type,parentSchema:schema47.properties.messages,data:data3};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.path !== undefined){
let data5 = data.path;
if(Array.isArray(data5)){
const len1 = data5.length;
for(let i1=0; i1<len1; i1++){
let data6 = data5[i1];
if(data6 && typeof data6 == "object" && !Array.isArray(data6)){
if(data6.role === undefined){
const err7 = {instancePath:instancePath+"/path/" + i1,schemaPath:"#/$defs/StepExpectation/required",keyword:"required",params:{missingProperty: "role"},message:"must have required property '"+"role"+"'",schema:schema50.required,parentSchema:schema50,data:data6};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
for(const key1 in data6){
if(!(((key1 === "role") || (key1 === "action")) || (key1 === "round"))){
const err8 = {instancePath:instancePath+"/path/" + i1,schemaPath:"#/$defs/StepExpectation/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties",schema:false,parentSchema:schema50,data:data6};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data6.role !== undefined){
let data7 = data6.role;
if(typeof data7 === "string"){
if(func1(data7) < 1){
const err9 = {instancePath:instancePath+"/path/" + i1+"/role",schemaPath:"#/$defs/StepExpectation/properties/role/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema50.properties.role,data:data7};
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
const err10 = {instancePath:instancePath+"/path/" + i1+"/role",schemaPath:"#/$defs/StepExpectation/properties/role/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema50.properties.role.type,parentSchema:schema50.properties.role,data:data7};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data6.action !== undefined){
let data8 = data6.action;
if(typeof data8 === "string"){
if(func1(data8) < 1){
const err11 = {instancePath:instancePath+"/path/" + i1+"/action",schemaPath:"#/$defs/StepExpectation/properties/action/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema50.properties.action,data:data8};
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
const err12 = {instancePath:instancePath+"/path/" + i1+"/action",schemaPath:"#/$defs/StepExpectation/properties/action/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema50.properties.action.type,parentSchema:schema50.properties.action,data:data8};
if(vErrors === null){
vErrors = [err12];
}
else {
vErrors.push(err12);
}
errors++;
}
}
if(data6.round !== undefined){
let data9 = data6.round;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
const err13 = {instancePath:instancePath+"/path/" + i1+"/round",schemaPath:"#/$defs/StepExpectation/properties/round/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema50.properties.round.type,parentSchema:schema50.properties.round,data:data9};
if(vErrors === null){
vErrors = [err13];
}
else {
vErrors.push(err13);
}
errors++;
}
if(typeof data9 == "number"){
if(data9 < 1 || isNaN(data9)){
const err14 = {instancePath:instancePath+"/path/" + i1+"/round",schemaPath:"#/$defs/StepExpectation/properties/round/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema50.properties.round,data:data9};
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
const err15 = {instancePath:instancePath+"/path/" + i1,schemaPath:"#/$defs/StepExpectation/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema50.type,parentSchema:schema50,data:data6};
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
const err16 = {instancePath:instancePath+"/path",schemaPath:"#/properties/path/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema47.properties.path.type,parentSchema:schema47.properties.path,data:data5};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.not_ran !== undefined){
let data10 = data.not_ran;
if(Array.isArray(data10)){
const len2 = data10.length;
for(let i2=0; i2<len2; i2++){
let data11 = data10[i2];
if(data11 && typeof data11 == "object" && !Array.isArray(data11)){
if(data11.role === undefined){
const err17 = {instancePath:instancePath+"/not_ran/" + i2,schemaPath:"#/$defs/NotRanExpectation/required",keyword:"required",params:{missingProperty: "role"},message:"must have required property '"+"role"+"'",schema:schema51.required,parentSchema:schema51,data:data11};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
for(const key2 in data11){
if(!((key2 === "role") || (key2 === "action"))){
const err18 = {instancePath:instancePath+"/not_ran/" + i2,schemaPath:"#/$defs/NotRanExpectation/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key2},message:"must NOT have additional properties",schema:false,parentSchema:schema51,data:data11};
if(vErrors === null){
vErrors = [err18];
}
else {
vErrors.push(err18);
}
errors++;
}
}
if(data11.role !== undefined){
let data12 = data11.role;
if(typeof data12 === "string"){
if(func1(data12) < 1){
const err19 = {instancePath:instancePath+"/not_ran/" + i2+"/role",schemaPath:"#/$defs/NotRanExpectation/properties/role/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema51.properties.role,data:data12};
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
const err20 = {instancePath:instancePath+"/not_ran/" + i2+"/role",schemaPath:"#/$defs/NotRanExpectation/properties/role/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.role.type,parentSchema:schema51.properties.role,data:data12};
if(vErrors === null){
vErrors = [err20];
}
else {
vErrors.push(err20);
}
errors++;
}
}
if(data11.action !== undefined){
let data13 = data11.action;
if(typeof data13 === "string"){
if(func1(data13) < 1){
const err21 = {instancePath:instancePath+"/not_ran/" + i2+"/action",schemaPath:"#/$defs/NotRanExpectation/properties/action/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema51.properties.action,data:data13};
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
const err22 = {instancePath:instancePath+"/not_ran/" + i2+"/action",schemaPath:"#/$defs/NotRanExpectation/properties/action/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema51.properties.action.type,parentSchema:schema51.properties.action,data:data13};
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
const err23 = {instancePath:instancePath+"/not_ran/" + i2,schemaPath:"#/$defs/NotRanExpectation/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema51.type,parentSchema:schema51,data:data11};
if(vErrors === null){
vErrors = [err23];
}
else {
vErrors.push(err23);
}
errors++;
}
}
}
else {
const err24 = {instancePath:instancePath+"/not_ran",schemaPath:"#/properties/not_ran/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema47.properties.not_ran.type,parentSchema:schema47.properties.not_ran,data:data10};
if(vErrors === null){
vErrors = [err24];
}
else {
vErrors.push(err24);
}
errors++;
}
}
if(data.artifacts !== undefined){
let data14 = data.artifacts;
if(Array.isArray(data14)){
const len3 = data14.length;
for(let i3=0; i3<len3; i3++){
let data15 = data14[i3];
if(data15 && typeof data15 == "object" && !Array.isArray(data15)){
if(data15.path === undefined){
const err25 = {instancePath:instancePath+"/artifacts/" + i3,schemaPath:"#/$defs/ArtifactExpectation/required",keyword:"required",params:{missingProperty: "path"},message:"must have required property '"+"path"+"'",schema:schema52.required,parentSchema:schema52,data:data15};
if(vErrors === null){
vErrors = [err25];
}
else {
vErrors.push(err25);
}
errors++;
}
for(const key3 in data15){
if(!(((((((key3 === "path") || (key3 === "exists")) || (key3 === "absent")) || (key3 === "contains")) || (key3 === "matches")) || (key3 === "golden")) || (key3 === "where"))){
const err26 = {instancePath:instancePath+"/artifacts/" + i3,schemaPath:"#/$defs/ArtifactExpectation/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key3},message:"must NOT have additional properties",schema:false,parentSchema:schema52,data:data15};
if(vErrors === null){
vErrors = [err26];
}
else {
vErrors.push(err26);
}
errors++;
}
}
if(data15.path !== undefined){
let data16 = data15.path;
if(typeof data16 === "string"){
if(func1(data16) < 1){
const err27 = {instancePath:instancePath+"/artifacts/" + i3+"/path",schemaPath:"#/$defs/ArtifactExpectation/properties/path/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52.properties.path,data:data16};
if(vErrors === null){
vErrors = [err27];
}
else {
vErrors.push(err27);
}
errors++;
}
}
else {
const err28 = {instancePath:instancePath+"/artifacts/" + i3+"/path",schemaPath:"#/$defs/ArtifactExpectation/properties/path/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.properties.path.type,parentSchema:schema52.properties.path,data:data16};
if(vErrors === null){
vErrors = [err28];
}
else {
vErrors.push(err28);
}
errors++;
}
}
if(data15.exists !== undefined){
let data17 = data15.exists;
if(typeof data17 !== "boolean"){
const err29 = {instancePath:instancePath+"/artifacts/" + i3+"/exists",schemaPath:"#/$defs/ArtifactExpectation/properties/exists/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema52.properties.exists.type,parentSchema:schema52.properties.exists,data:data17};
if(vErrors === null){
vErrors = [err29];
}
else {
vErrors.push(err29);
}
errors++;
}
}
if(data15.absent !== undefined){
let data18 = data15.absent;
if(typeof data18 !== "boolean"){
const err30 = {instancePath:instancePath+"/artifacts/" + i3+"/absent",schemaPath:"#/$defs/ArtifactExpectation/properties/absent/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema52.properties.absent.type,parentSchema:schema52.properties.absent,data:data18};
if(vErrors === null){
vErrors = [err30];
}
else {
vErrors.push(err30);
}
errors++;
}
}
if(data15.contains !== undefined){
let data19 = data15.contains;
if(typeof data19 !== "string"){
const err31 = {instancePath:instancePath+"/artifacts/" + i3+"/contains",schemaPath:"#/$defs/ArtifactExpectation/properties/contains/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.properties.contains.type,parentSchema:schema52.properties.contains,data:data19};
if(vErrors === null){
vErrors = [err31];
}
else {
vErrors.push(err31);
}
errors++;
}
}
if(data15.matches !== undefined){
let data20 = data15.matches;
if(typeof data20 === "string"){
if(func1(data20) < 1){
const err32 = {instancePath:instancePath+"/artifacts/" + i3+"/matches",schemaPath:"#/$defs/ArtifactExpectation/properties/matches/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52.properties.matches,data:data20};
if(vErrors === null){
vErrors = [err32];
}
else {
vErrors.push(err32);
}
errors++;
}
}
else {
const err33 = {instancePath:instancePath+"/artifacts/" + i3+"/matches",schemaPath:"#/$defs/ArtifactExpectation/properties/matches/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.properties.matches.type,parentSchema:schema52.properties.matches,data:data20};
if(vErrors === null){
vErrors = [err33];
}
else {
vErrors.push(err33);
}
errors++;
}
}
if(data15.golden !== undefined){
let data21 = data15.golden;
if(typeof data21 === "string"){
if(func1(data21) < 1){
const err34 = {instancePath:instancePath+"/artifacts/" + i3+"/golden",schemaPath:"#/$defs/ArtifactExpectation/properties/golden/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52.properties.golden,data:data21};
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
const err35 = {instancePath:instancePath+"/artifacts/" + i3+"/golden",schemaPath:"#/$defs/ArtifactExpectation/properties/golden/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.properties.golden.type,parentSchema:schema52.properties.golden,data:data21};
if(vErrors === null){
vErrors = [err35];
}
else {
vErrors.push(err35);
}
errors++;
}
}
if(data15.where !== undefined){
let data22 = data15.where;
if(typeof data22 === "string"){
if(func1(data22) < 1){
const err36 = {instancePath:instancePath+"/artifacts/" + i3+"/where",schemaPath:"#/$defs/ArtifactExpectation/properties/where/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema52.properties.where,data:data22};
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
const err37 = {instancePath:instancePath+"/artifacts/" + i3+"/where",schemaPath:"#/$defs/ArtifactExpectation/properties/where/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema52.properties.where.type,parentSchema:schema52.properties.where,data:data22};
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
const err38 = {instancePath:instancePath+"/artifacts/" + i3,schemaPath:"#/$defs/ArtifactExpectation/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema52.type,parentSchema:schema52,data:data15};
if(vErrors === null){
vErrors = [err38];
}
else {
vErrors.push(err38);
}
errors++;
}
}
}
else {
const err39 = {instancePath:instancePath+"/artifacts",schemaPath:"#/properties/artifacts/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema47.properties.artifacts.type,parentSchema:schema47.properties.artifacts,data:data14};
if(vErrors === null){
vErrors = [err39];
}
else {
vErrors.push(err39);
}
errors++;
}
}
if(data.gates !== undefined){
let data23 = data.gates;
if(Array.isArray(data23)){
const len4 = data23.length;
for(let i4=0; i4<len4; i4++){
if(!(validate36(data23[i4], {instancePath:instancePath+"/gates/" + i4,parentData:data23,parentDataProperty:i4,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate36.errors : vErrors.concat(validate36.errors);
errors = vErrors.length;
}
}
}
else {
const err40 = {instancePath:instancePath+"/gates",schemaPath:"#/properties/gates/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema47.properties.gates.type,parentSchema:schema47.properties.gates,data:data23};
if(vErrors === null){
vErrors = [err40];
}
else {
vErrors.push(err40);
}
errors++;
}
}
if(data.usage !== undefined){
let data25 = data.usage;
if(data25 && typeof data25 == "object" && !Array.isArray(data25)){
if(Object.keys(data25).length < 1){
const err41 = {instancePath:instancePath+"/usage",schemaPath:"#/$defs/UsageExpectation/minProperties",keyword:"minProperties",params:{limit: 1},message:"must NOT have fewer than 1 properties",schema:1,parentSchema:schema55,data:data25};
if(vErrors === null){
vErrors = [err41];
}
else {
vErrors.push(err41);
}
errors++;
}
for(const key4 in data25){
if(!((((key4 === "max_cost_usd") || (key4 === "max_tokens")) || (key4 === "max_calls")) || (key4 === "calls"))){
const err42 = {instancePath:instancePath+"/usage",schemaPath:"#/$defs/UsageExpectation/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key4},message:"must NOT have additional properties",schema:false,parentSchema:schema55,data:data25};
if(vErrors === null){
vErrors = [err42];
}
else {
vErrors.push(err42);
}
errors++;
}
}
if(data25.max_cost_usd !== undefined){
let data26 = data25.max_cost_usd;
if(typeof data26 == "number"){
if(data26 < 0 || isNaN(data26)){
const err43 = {instancePath:instancePath+"/usage/max_cost_usd",schemaPath:"#/$defs/UsageExpectation/properties/max_cost_usd/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema55.properties.max_cost_usd,data:data26};
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
const err44 = {instancePath:instancePath+"/usage/max_cost_usd",schemaPath:"#/$defs/UsageExpectation/properties/max_cost_usd/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema55.properties.max_cost_usd.type,parentSchema:schema55.properties.max_cost_usd,data:data26};
if(vErrors === null){
vErrors = [err44];
}
else {
vErrors.push(err44);
}
errors++;
}
}
if(data25.max_tokens !== undefined){
let data27 = data25.max_tokens;
if(!((typeof data27 == "number") && (!(data27 % 1) && !isNaN(data27)))){
const err45 = {instancePath:instancePath+"/usage/max_tokens",schemaPath:"#/$defs/UsageExpectation/properties/max_tokens/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema55.properties.max_tokens.type,parentSchema:schema55.properties.max_tokens,data:data27};
if(vErrors === null){
vErrors = [err45];
}
else {
vErrors.push(err45);
}
errors++;
}
if(typeof data27 == "number"){
if(data27 < 0 || isNaN(data27)){
const err46 = {instancePath:instancePath+"/usage/max_tokens",schemaPath:"#/$defs/UsageExpectation/properties/max_tokens/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema55.properties.max_tokens,data:data27};
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
if(data25.max_calls !== undefined){
let data28 = data25.max_calls;
if(!((typeof data28 == "number") && (!(data28 % 1) && !isNaN(data28)))){
const err47 = {instancePath:instancePath+"/usage/max_calls",schemaPath:"#/$defs/UsageExpectation/properties/max_calls/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema55.properties.max_calls.type,parentSchema:schema55.properties.max_calls,data:data28};
if(vErrors === null){
vErrors = [err47];
}
else {
vErrors.push(err47);
}
errors++;
}
if(typeof data28 == "number"){
if(data28 < 0 || isNaN(data28)){
const err48 = {instancePath:instancePath+"/usage/max_calls",schemaPath:"#/$defs/UsageExpectation/properties/max_calls/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema55.properties.max_calls,data:data28};
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
if(data25.calls !== undefined){
let data29 = data25.calls;
if(!((typeof data29 == "number") && (!(data29 % 1) && !isNaN(data29)))){
const err49 = {instancePath:instancePath+"/usage/calls",schemaPath:"#/$defs/UsageExpectation/properties/calls/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema55.properties.calls.type,parentSchema:schema55.properties.calls,data:data29};
if(vErrors === null){
vErrors = [err49];
}
else {
vErrors.push(err49);
}
errors++;
}
if(typeof data29 == "number"){
if(data29 < 0 || isNaN(data29)){
const err50 = {instancePath:instancePath+"/usage/calls",schemaPath:"#/$defs/UsageExpectation/properties/calls/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0",schema:0,parentSchema:schema55.properties.calls,data:data29};
if(vErrors === null){
vErrors = [err50];
}
else {
vErrors.push(err50);
}
errors++;
}
}
}
}
else {
const err51 = {instancePath:instancePath+"/usage",schemaPath:"#/$defs/UsageExpectation/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema55.type,parentSchema:schema55,data:data25};
if(vErrors === null){
vErrors = [err51];
}
else {
vErrors.push(err51);
}
errors++;
}
}
}
else {
const err52 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema47.type,parentSchema:schema47,data};
if(vErrors === null){
vErrors = [err52];
}
else {
vErrors.push(err52);
}
errors++;
}
validate33.errors = vErrors;
return errors === 0;
}
validate33.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


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
if(data && typeof data == "object" && !Array.isArray(data)){
if(data.name === undefined){
const err0 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "name"},message:"must have required property '"+"name"+"'",schema:schema45.required,parentSchema:schema45,data};
if(vErrors === null){
vErrors = [err0];
}
else {
vErrors.push(err0);
}
errors++;
}
for(const key0 in data){
if(!(func2.call(schema45.properties, key0))){
const err1 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema45,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
}
if(data.name !== undefined){
let data0 = data.name;
if(typeof data0 === "string"){
if(func1(data0) < 1){
const err2 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema45.properties.name,data:data0};
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
const err3 = {instancePath:instancePath+"/name",schemaPath:"#/properties/name/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema45.properties.name.type,parentSchema:schema45.properties.name,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.inputs !== undefined){
let data1 = data.inputs;
if(data1 && typeof data1 == "object" && !Array.isArray(data1)){
for(const key1 in data1){
let data2 = data1[key1];
if(((typeof data2 !== "string") && (!(typeof data2 == "number"))) && (typeof data2 !== "boolean")){
const err4 = {instancePath:instancePath+"/inputs/" + key1.replace(/~/g, "~0").replace(/\//g, "~1"),schemaPath:"#/$defs/Inputs/additionalProperties/type",keyword:"type",params:{type: schema33.additionalProperties.type},message:"must be string,number,boolean",schema:schema33.additionalProperties.type,parentSchema:schema33.additionalProperties,data:data2};
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
const err5 = {instancePath:instancePath+"/inputs",schemaPath:"#/$defs/Inputs/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema33.type,parentSchema:schema33,data:data1};
if(vErrors === null){
vErrors = [err5];
}
else {
vErrors.push(err5);
}
errors++;
}
}
if(data.script !== undefined){
let data3 = data.script;
if(typeof data3 === "string"){
if(func1(data3) < 1){
const err6 = {instancePath:instancePath+"/script",schemaPath:"#/properties/script/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema45.properties.script,data:data3};
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
const err7 = {instancePath:instancePath+"/script",schemaPath:"#/properties/script/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema45.properties.script.type,parentSchema:schema45.properties.script,data:data3};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
}
if(data.answers !== undefined){
if(!(validate27(data.answers, {instancePath:instancePath+"/answers",parentData:data,parentDataProperty:"answers",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate27.errors : vErrors.concat(validate27.errors);
errors = vErrors.length;
}
}
if(data.strict !== undefined){
let data5 = data.strict;
if(typeof data5 !== "boolean"){
const err8 = {instancePath:instancePath+"/strict",schemaPath:"#/properties/strict/type",keyword:"type",params:{type: "boolean"},message:"must be boolean",schema:schema45.properties.strict.type,parentSchema:schema45.properties.strict,data:data5};
if(vErrors === null){
vErrors = [err8];
}
else {
vErrors.push(err8);
}
errors++;
}
}
if(data.workspace !== undefined){
let data6 = data.workspace;
if(typeof data6 === "string"){
if(func1(data6) < 1){
const err9 = {instancePath:instancePath+"/workspace",schemaPath:"#/properties/workspace/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema45.properties.workspace,data:data6};
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
const err10 = {instancePath:instancePath+"/workspace",schemaPath:"#/properties/workspace/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema45.properties.workspace.type,parentSchema:schema45.properties.workspace,data:data6};
if(vErrors === null){
vErrors = [err10];
}
else {
vErrors.push(err10);
}
errors++;
}
}
if(data.n_round !== undefined){
let data7 = data.n_round;
if(!((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7)))){
const err11 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/type",keyword:"type",params:{type: "integer"},message:"must be integer",schema:schema45.properties.n_round.type,parentSchema:schema45.properties.n_round,data:data7};
if(vErrors === null){
vErrors = [err11];
}
else {
vErrors.push(err11);
}
errors++;
}
if(typeof data7 == "number"){
if(data7 < 1 || isNaN(data7)){
const err12 = {instancePath:instancePath+"/n_round",schemaPath:"#/properties/n_round/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1",schema:1,parentSchema:schema45.properties.n_round,data:data7};
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
if(data.investment !== undefined){
let data8 = data.investment;
if(typeof data8 == "number"){
if(data8 <= 0 || isNaN(data8)){
const err13 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0",schema:0,parentSchema:schema45.properties.investment,data:data8};
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
const err14 = {instancePath:instancePath+"/investment",schemaPath:"#/properties/investment/type",keyword:"type",params:{type: "number"},message:"must be number",schema:schema45.properties.investment.type,parentSchema:schema45.properties.investment,data:data8};
if(vErrors === null){
vErrors = [err14];
}
else {
vErrors.push(err14);
}
errors++;
}
}
if(data.skip !== undefined){
let data9 = data.skip;
if(typeof data9 === "string"){
if(func1(data9) < 1){
const err15 = {instancePath:instancePath+"/skip",schemaPath:"#/properties/skip/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema45.properties.skip,data:data9};
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
const err16 = {instancePath:instancePath+"/skip",schemaPath:"#/properties/skip/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema45.properties.skip.type,parentSchema:schema45.properties.skip,data:data9};
if(vErrors === null){
vErrors = [err16];
}
else {
vErrors.push(err16);
}
errors++;
}
}
if(data.expect !== undefined){
if(!(validate33(data.expect, {instancePath:instancePath+"/expect",parentData:data,parentDataProperty:"expect",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate33.errors : vErrors.concat(validate33.errors);
errors = vErrors.length;
}
}
}
else {
const err17 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema45.type,parentSchema:schema45,data};
if(vErrors === null){
vErrors = [err17];
}
else {
vErrors.push(err17);
}
errors++;
}
validate31.errors = vErrors;
return errors === 0;
}
validate31.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
/*# sourceURL="https://sop-runner.dev/schemas/sop-test.v1.schema.json" */;
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
if(data.cases === undefined){
const err1 = {instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: "cases"},message:"must have required property '"+"cases"+"'",schema:schema31.required,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err1];
}
else {
vErrors.push(err1);
}
errors++;
}
for(const key0 in data){
if(!(((((key0 === "$schema") || (key0 === "apiVersion")) || (key0 === "sop")) || (key0 === "defaults")) || (key0 === "cases"))){
const err2 = {instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties",schema:false,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err2];
}
else {
vErrors.push(err2);
}
errors++;
}
}
if(data.$schema !== undefined){
let data0 = data.$schema;
if(typeof data0 !== "string"){
const err3 = {instancePath:instancePath+"/$schema",schemaPath:"#/properties/%24schema/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.$schema.type,parentSchema:schema31.properties.$schema,data:data0};
if(vErrors === null){
vErrors = [err3];
}
else {
vErrors.push(err3);
}
errors++;
}
}
if(data.apiVersion !== undefined){
let data1 = data.apiVersion;
if("sop-test/v1" !== data1){
const err4 = {instancePath:instancePath+"/apiVersion",schemaPath:"#/properties/apiVersion/const",keyword:"const",params:{allowedValue: "sop-test/v1"},message:"must be equal to constant",schema:"sop-test/v1",parentSchema:schema31.properties.apiVersion,data:data1};
if(vErrors === null){
vErrors = [err4];
}
else {
vErrors.push(err4);
}
errors++;
}
}
if(data.sop !== undefined){
let data2 = data.sop;
if(typeof data2 === "string"){
if(func1(data2) < 1){
const err5 = {instancePath:instancePath+"/sop",schemaPath:"#/properties/sop/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters",schema:1,parentSchema:schema31.properties.sop,data:data2};
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
const err6 = {instancePath:instancePath+"/sop",schemaPath:"#/properties/sop/type",keyword:"type",params:{type: "string"},message:"must be string",schema:schema31.properties.sop.type,parentSchema:schema31.properties.sop,data:data2};
if(vErrors === null){
vErrors = [err6];
}
else {
vErrors.push(err6);
}
errors++;
}
}
if(data.defaults !== undefined){
if(!(validate21(data.defaults, {instancePath:instancePath+"/defaults",parentData:data,parentDataProperty:"defaults",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate21.errors : vErrors.concat(validate21.errors);
errors = vErrors.length;
}
}
if(data.cases !== undefined){
let data4 = data.cases;
if(Array.isArray(data4)){
if(data4.length < 1){
const err7 = {instancePath:instancePath+"/cases",schemaPath:"#/properties/cases/minItems",keyword:"minItems",params:{limit: 1},message:"must NOT have fewer than 1 items",schema:1,parentSchema:schema31.properties.cases,data:data4};
if(vErrors === null){
vErrors = [err7];
}
else {
vErrors.push(err7);
}
errors++;
}
const len0 = data4.length;
for(let i0=0; i0<len0; i0++){
if(!(validate31(data4[i0], {instancePath:instancePath+"/cases/" + i0,parentData:data4,parentDataProperty:i0,rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate31.errors : vErrors.concat(validate31.errors);
errors = vErrors.length;
}
}
}
else {
const err8 = {instancePath:instancePath+"/cases",schemaPath:"#/properties/cases/type",keyword:"type",params:{type: "array"},message:"must be array",schema:schema31.properties.cases.type,parentSchema:schema31.properties.cases,data:data4};
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
const err9 = {instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object",schema:schema31.type,parentSchema:schema31,data};
if(vErrors === null){
vErrors = [err9];
}
else {
vErrors.push(err9);
}
errors++;
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

