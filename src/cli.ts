#!/usr/bin/env node
// The bin entry. Heavy modules load lazily so --version and --help answer at once.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  const { abortOnSignals } = await import("./cli/signals.js");
  const signal = abortOnSignals();
  const { main } = await import("./cli/main.js");
  const code = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal,
  });
  process.exitCode = code;
}
