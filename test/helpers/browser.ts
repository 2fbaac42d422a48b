// Headless Chromium (Debian's `chromium` package, installed by .ci/run) driven by playwright-core, to
// check what a person would see in a page the product writes. No browser is downloaded: the
// system binary is used, and its absence is a failure, not a skip.
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const found = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p) => p && existsSync(p));
  if (!found) {
    throw new Error(
      `no Chromium found (tried ${CANDIDATES.join(", ")}); install Debian's chromium package or set CHROMIUM_PATH`,
    );
  }
  return found;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

/** What a page did that it must not: dialogs opened, script errors, console errors (CSP reports included). */
export interface PageIncidents {
  dialogs: string[];
  errors: string[];
  requests: string[];
}

export function watch(page: Page): PageIncidents {
  const incidents: PageIncidents = { dialogs: [], errors: [], requests: [] };
  page.on("dialog", (d) => {
    incidents.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on("pageerror", (e) => incidents.errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") incidents.errors.push(m.text());
  });
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:"))
      incidents.requests.push(r.url());
  });
  return incidents;
}
