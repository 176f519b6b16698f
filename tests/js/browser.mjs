// What every browser script of the tests shares: Debian's Chromium with a fresh profile and
// no background traffic, and the pinned unpkg files answered from node_modules.
//
// CHROMIUM (default /usr/bin/chromium) is the browser: playwright's own browser downloads
// need the network, which the tests never use. Without the background-networking flags
// Chromium keeps trying hosts this machine cannot reach.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
export const MODULES = path.resolve(here, "..", "..", "node_modules");
export const WAIT = 60_000; // the machine is shared: Decap's 5 MB bundle may take a while

// Shared with tests/test_render.py, which starts the same Chromium without playwright.
const FLAGS = JSON.parse(fs.readFileSync(path.join(here, "chromium-flags.json"), "utf8"));

// The files index.html loads from unpkg, by package: only at the version node_modules
// holds (which package.json pins), so a page asking for another version is refused.
const PINNED = {
  "decap-cms": /^https:\/\/unpkg\.com\/decap-cms@([^/]+)\/(dist\/[^?#]+)$/,
  yaml: /^https:\/\/unpkg\.com\/yaml@([^/]+)\/([^?#]+)$/,
};

/** A headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export async function launch(prefix) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: FLAGS,
    headless: true,
  });
  context.closeAll = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

/** The node_modules file that answers a pinned unpkg URL, or null. */
export function pinnedFile(url) {
  for (const [name, pattern] of Object.entries(PINNED)) {
    const found = url.match(pattern);
    if (!found) continue;
    const version = JSON.parse(fs.readFileSync(path.join(MODULES, name, "package.json"))).version;
    const file = path.join(MODULES, name, found[2]);
    return found[1] === version && fs.existsSync(file) ? file : null;
  }
  return null;
}

/** Answers `route` with `file`, as unpkg does (a CORS request, for crossorigin scripts). */
export function fulfillPinned(route, file) {
  return route.fulfill({
    status: 200,
    headers: { "access-control-allow-origin": "*" },
    contentType: "text/javascript",
    body: fs.readFileSync(file),
  });
}

/** Whether `locator` shows within WAIT. */
export async function visible(locator) {
  try {
    await locator.first().waitFor({ state: "visible", timeout: WAIT });
    return true;
  } catch {
    return false;
  }
}

/**
 * A page of `context` on the editor `sipctl edit` serves at `address`, signed in to the
 * local backend: 127.0.0.1 is reached for real, the pinned unpkg files come from
 * node_modules, anything else is refused and listed in `seen.refused`; page errors go to
 * `seen.pageErrors`.
 */
export async function openLocalEditor(context, address, seen) {
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (/^http:\/\/127\.0\.0\.1:\d+\//.test(url) || /^(data|blob):/.test(url)) {
      return route.continue();
    }
    const pinned = pinnedFile(url);
    if (pinned) return fulfillPinned(route, pinned);
    seen.refused.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  await page.goto(address, { waitUntil: "load" });
  // the local backend's sign-in page: one button, no account
  const login = page.getByRole("button", { name: /login/i });
  if (await visible(login)) await login.first().click();
  return page;
}
