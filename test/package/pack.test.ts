// The package as a user installs it: `npm pack`, installed into an empty project, used from
// JavaScript and type-checked from TypeScript, both with today's resolution (nodenext, TypeScript 7)
// and the old `moduleResolution: node10` (TypeScript 5, which still has it).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { ROOT } from "../helpers/cli.js";

const TYPESCRIPT_5 = "5.9.3";
const npm = (args: string[], cwd: string) =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let files: string[];
let consumer: string;
let installed: string;

beforeAll(() => {
  const out = mkdtempSync(join(tmpdir(), "tat-pack-"));
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", out], ROOT)) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!packed) throw new Error("npm pack packed nothing");
  files = packed.files.map((f) => f.path);
  consumer = join(out, "consumer");
  mkdirSync(consumer);
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true }),
  );
  // From the npm cache when it has them (CI's `npm ci` filled it), else from the registry.
  npm(
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
      join(out, packed.filename),
      `typescript@${TYPESCRIPT_5}`,
      `@types/node@${readDevVersion("@types/node")}`,
    ],
    consumer,
  );
  installed = join(consumer, "node_modules", "tat-assert");
}, 240_000);

function readDevVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  return pkg.devDependencies[name];
}

describe("the packed package", () => {
  test("ships its licence, the built code with types, and the sources its maps point at", () => {
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "package.json", "README.md"]));
    expect(files).toEqual(
      expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/cli.js", "src/index.ts"]),
    );
    expect(readFileSync(join(installed, "LICENSE"), "utf8")).toContain(
      "Apache License\n                           Version 2.0, January 2004",
    );
    const maps = files.filter((f) => f.endsWith(".map"));
    expect(maps.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const map of maps) {
      const { sources } = JSON.parse(readFileSync(join(installed, map), "utf8")) as {
        sources: string[];
      };
      for (const source of sources) {
        const path = resolve(join(installed, map, ".."), source);
        if (!existsSync(path)) missing.push(`${map} → ${source}`);
      }
    }
    expect(missing).toEqual([]);
    // Nothing of the test suite or the development set-up.
    expect(files.filter((f) => /^(test|bench|\.ci)\//.test(f))).toEqual([]);
  });

  test("the CLI runs and the library imports from the installed package", () => {
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    const bin = join(consumer, "node_modules", ".bin", "tat-assert");
    expect(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim()).toContain(version);
    const script = `import { EXIT, VERSION, runGate } from "tat-assert";
console.log(JSON.stringify({ pass: EXIT.PASS, VERSION, gate: typeof runGate }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({ pass: 0, VERSION: version, gate: "function" });
  });

  const CONSUMER_TS = `import { EXIT, loadGateSpecs, type RunReport } from "tat-assert";
export async function gate(): Promise<number> {
  const specs = await loadGateSpecs(["specs/*.yml"], { cwd: ".", env: {} });
  const report: Pick<RunReport, "exitCode"> = { exitCode: specs.length > 0 ? EXIT.PASS : EXIT.FAIL };
  return report.exitCode;
}
// A wrong use must be caught, or the check proves nothing.
// @ts-expect-error exitCode is a number
export const wrong: RunReport["exitCode"] = "0";
`;

  test.each([
    ["TypeScript 7, moduleResolution nodenext", "nodenext", "nodenext", join(ROOT, "node_modules")],
    ["TypeScript 5, moduleResolution node10", "commonjs", "node10", "consumer"],
  ])(
    "%s type-checks a consumer file",
    (_name, module, resolution, tsFrom) => {
      const dir = join(consumer, `ts-${resolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "use.ts"), CONSUMER_TS);
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            module,
            moduleResolution: resolution,
            target: "es2022",
            strict: true,
            noEmit: true,
            types: ["node"],
            typeRoots: [join(consumer, "node_modules", "@types")],
          },
          files: ["use.ts"],
        }),
      );
      const tsc =
        tsFrom === "consumer"
          ? join(consumer, "node_modules", "typescript", "bin", "tsc")
          : join(tsFrom, "typescript", "bin", "tsc");
      let output = "";
      try {
        execFileSync(process.execPath, [tsc, "-p", dir], { encoding: "utf8", cwd: dir });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout ?? error);
      }
      expect(output).toBe("");
    },
    240_000,
  );
});
