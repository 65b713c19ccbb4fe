// Generates TypeScript types from the types bundle (the discriminated union) with
// json-schema-to-typescript, as a TypeScript user of the bundle would.
// Usage: node generate-types.mjs REPO_ROOT OUT_FILE
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { compileFromFile } from "json-schema-to-typescript";

const [root, out] = process.argv.slice(2);
if (!root || !out) {
  console.error("usage: node generate-types.mjs REPO_ROOT OUT_FILE");
  process.exit(2);
}
const schemaDir = join(root, "generated", "schema");
const types = await compileFromFile(join(schemaDir, "orux-models.types.schema.json"), {
  cwd: schemaDir,
  bannerComment: "// Generated from generated/schema/orux-models.types.schema.json by json-schema-to-typescript.",
});
writeFileSync(out, types);
console.log(`typescript: wrote ${out}`);
