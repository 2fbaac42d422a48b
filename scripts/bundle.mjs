// One self-contained ESM file for the GitHub Action, so the action runs with no install step.
// `--check` rebuilds in memory and fails when the committed bundle differs from the sources.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const outfile = "action-dist/index.mjs";
const result = await build({
  entryPoints: ["src/action.ts"],
  bundle: true,
  platform: "node",
  // node20 syntax runs on the node24 runtime the action declares and on this machine's Node 20.
  target: "node20",
  format: "esm",
  logLevel: "warning",
  write: false,
  legalComments: "none",
  // CommonJS dependencies (yaml, ajv) call require(); ESM output has none of its own.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});
const text = result.outputFiles[0].text;

if (process.argv.includes("--check")) {
  let committed = "";
  try {
    committed = readFileSync(outfile, "utf8");
  } catch {}
  if (committed !== text) {
    console.error(`${outfile} is out of date with src/: run \`npm run bundle\` and commit it`);
    process.exit(1);
  }
  console.log(`${outfile} is up to date`);
} else {
  mkdirSync("action-dist", { recursive: true });
  writeFileSync(outfile, text);
  console.log(`wrote ${outfile} (${(text.length / 1024).toFixed(0)} KiB)`);
}
