// `npm test` opens the HTML report in a real browser (test/report/html-browser.test.ts): Debian's
// chromium, driven by playwright-core, which downloads nothing itself. So that the README's
// `npm test` works on a fresh machine, the browser is installed here when it is missing and the
// machine can (root with apt-get, as on CI); otherwise this says exactly what to do.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p) => p && existsSync(p));
if (!found) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const apt = existsSync("/usr/bin/apt-get");
  if (!root || !apt) {
    console.error(
      "The HTML report tests need Chromium: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH.",
    );
    process.exit(1);
  }
  console.error("Installing Debian's chromium for the HTML report tests (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
  });
}
