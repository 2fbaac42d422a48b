#!/usr/bin/env node
// The bin entry. Heavy modules load lazily so --version and --help answer at once.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-v")) {
  const { VERSION } = await import("./version.js");
  process.stdout.write(`${VERSION}\n`);
} else {
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    // First signal: stop waiting, evaluate what was seen and write the reports. Second: leave now.
    if (signals > 1) process.exit(3);
    process.stderr.write(`\ntat-assert: ${name} received: stopping the wait and writing reports\n`);
    controller.abort(new Error(`cancelled by ${name}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { main } = await import("./cli/main.js");
  const code = await main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
  process.exitCode = code;
}
