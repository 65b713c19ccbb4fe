// The request corpus under ajv in draft 2020-12 mode, as a JavaScript user of
// the bundle would validate: every body, decoded as UTF-8 (fatal) and read
// with JSON.parse, must get the corpus's verdict and error paths, except the
// cases ../schema-gaps.json lists for `typescript` (which must really differ).
//
// Error paths as in tests/tests/suite/json_schema.rs: an error's instancePath, or the
// property itself for `required` and `additionalProperties`, compared as sets.
// Each single-mistake case (invalid, one expected path) must also get an
// error at that path or at its parent naming the key, and none elsewhere.
//
// Then every string of the URL corpus (tests/corpus/urls.jsonl) must get its
// verdict from the bundle's URL pattern under RegExp and ajv.
//
// Usage: node validate-corpus.mjs REPO_ROOT. Prints one line per failure and a
// closing "typescript: N passed, M failed" line; exits 1 on any failure.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";

const HARNESS = "typescript";
const root = process.argv[2];
if (!root) {
  console.error("usage: node validate-corpus.mjs REPO_ROOT");
  process.exit(2);
}
const readJson = (...parts) => JSON.parse(readFileSync(join(root, ...parts), "utf8"));

let passed = 0;
const failures = [];
function check(name, ok, detail) {
  if (ok) {
    passed += 1;
  } else {
    failures.push(name);
    console.log(`FAIL ${name}: ${detail}`);
  }
}

const escape = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");

// The validation bundle dispatches on `model` with `if`/`then`, so the root
// validator alone gives the field errors; with allErrors, ajv adds an `if`
// error ("must match \"then\" schema") at the body beside them, which is
// not an error of its own and is dropped.
const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });

const document = readJson("generated", "schema", "orux-models.schema.json");
ajv.addSchema(document);
const rootValidator = ajv.getSchema(document.$id);

function pointers(errors) {
  const out = new Set();
  for (const error of errors) {
    if (error.keyword === "required") {
      out.add(`${error.instancePath}/${escape(error.params.missingProperty)}`);
    } else if (error.keyword === "additionalProperties") {
      out.add(`${error.instancePath}/${escape(error.params.additionalProperty)}`);
    } else {
      out.add(error.instancePath);
    }
  }
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: true });
// { parsed, valid, errors, paths } of one body under the bundle.
function outcome(bytes) {
  let instance;
  try {
    instance = JSON.parse(decoder.decode(bytes));
  } catch {
    return { parsed: false, valid: false, errors: [], paths: new Set([""]) };
  }
  const valid = rootValidator(instance);
  const errors = (rootValidator.errors ?? []).filter((e) => e.keyword !== "if");
  return { parsed: true, valid, errors, paths: pointers(errors) };
}

// Whether ajv's errors locate a single mistake at `path`: at least one error
// at the field's pointer, or at its parent naming the key (a missing or an
// unknown key), and no error anywhere but there or below the field.
function locates(errors, path) {
  const cut = path.lastIndexOf("/");
  const parent = cut < 0 ? null : path.slice(0, cut);
  const key = cut < 0 ? null : path.slice(cut + 1).replaceAll("~1", "/").replaceAll("~0", "~");
  const at = (e) =>
    e.instancePath === path ||
    (e.instancePath === parent &&
      ((e.keyword === "required" && e.params.missingProperty === key) ||
        (e.keyword === "additionalProperties" && e.params.additionalProperty === key)));
  const below = (e) => e.instancePath.startsWith(`${path}/`);
  return errors.some(at) && errors.every((e) => at(e) || below(e));
}

function loadCorpus() {
  const dir = join(root, "tests", "corpus", "requests");
  const encoder = new TextEncoder();
  const cases = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl")).sort()) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (!line.trim()) continue;
      const item = JSON.parse(line);
      if ("body" in item) item.bytes = encoder.encode(JSON.stringify(item.body));
      else if ("raw" in item) item.bytes = encoder.encode(item.raw);
      else item.bytes = Buffer.from(item.raw_base64, "base64");
      cases.push(item);
    }
  }
  return cases;
}

const cases = loadCorpus();
const names = new Set(cases.map((c) => c.name));
const excused = new Map();
for (const gap of readJson("tests", "cross-language", "schema-gaps.json").gaps) {
  if (!gap.harnesses.includes(HARNESS)) continue;
  for (const name of gap.cases) {
    if (!names.has(name)) throw new Error(`schema-gaps.json: ${gap.rule}: no corpus case ${name}`);
    excused.set(name, gap.rule);
  }
}

const sameSet = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
let singles = 0;
for (const item of cases) {
  const { parsed, valid, errors, paths } = outcome(item.bytes);
  // Every single-mistake case gets an error at its field from the bundle.
  const expected = [...new Set(item.errors)];
  if (!item.valid && expected.length === 1 && parsed && !excused.has(item.name)) {
    singles += 1;
    check(
      `${item.name} (located)`,
      locates(errors, expected[0]),
      `expected an error at ${JSON.stringify(expected[0])}, ajv said ${JSON.stringify(
        errors.map((e) => [e.instancePath, e.keyword, e.message]),
      )}`,
    );
  }
  const agrees = valid === item.valid && sameSet(paths, new Set(item.errors));
  const rule = excused.get(item.name);
  if (rule === undefined) {
    check(
      item.name,
      agrees,
      `expected valid=${item.valid} ${JSON.stringify([...new Set(item.errors)].sort())}, ` +
        `schema valid=${valid} ${JSON.stringify([...paths].sort())}`,
    );
  } else {
    check(item.name, !agrees, `excused by "${rule}" but the schema agrees; drop it from schema-gaps.json`);
  }
}

// The URL corpus (tests/corpus/urls.jsonl, written by the Rust tests with
// the verdicts of the Rust rule): the bundle's HttpsUrl pattern as a RegExp
// with the `u` flag (as ajv compiles it) and without, and the HttpsUrl
// definition under ajv, must give every string its verdict.
{
  const pattern = document.$defs.HttpsUrl.pattern;
  const engines = [
    ["RegExp u", (url) => new RegExp(pattern, "u").test(url)],
    ["RegExp", (url) => new RegExp(pattern).test(url)],
    ["ajv HttpsUrl", (url) => ajv.getSchema(`${document.$id}#/$defs/HttpsUrl`)(url)],
  ];
  const urls = readFileSync(join(root, "tests", "corpus", "urls.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
  const accepted = urls.filter((item) => item.valid).length;
  check("URL corpus has both verdicts", accepted > 1000 && urls.length - accepted > 2000, `${accepted} of ${urls.length}`);
  for (const [name, accepts] of engines) {
    const wrong = urls.filter((item) => accepts(item.url) !== item.valid);
    check(
      `URL corpus under ${name}`,
      wrong.length === 0,
      `${wrong.length} of ${urls.length} disagree, first ${JSON.stringify(wrong.slice(0, 3))}`,
    );
  }
}

// The standalone model schemas compile and accept their own examples.
for (const file of readdirSync(join(root, "generated", "schema", "models")).sort()) {
  const schema = readJson("generated", "schema", "models", file);
  const standalone = new Ajv2020({ allowUnionTypes: true });
  const validate = standalone.compile(schema);
  const bad = (schema.examples ?? []).filter((example) => !validate(example));
  check(`models/${file}`, schema.examples?.length > 0 && bad.length === 0, `${bad.length} example(s) rejected`);
}

check("single-mistake cases found", singles > 100, `${singles} cases`);
console.log(`typescript: ${singles} single-mistake corpus cases located at their field by ajv`);
console.log(`typescript: ${excused.size} corpus cases excused by schema-gaps.json`);
console.log(`typescript: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
