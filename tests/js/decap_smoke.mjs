// Loads a generated admin/ folder in the real Decap CMS, in Debian's Chromium, and prints
// what a principal would see as JSON.
//
//   node tests/js/decap_smoke.mjs PLAN.json
//
// PLAN.json: {"admin": DIR, "repoFiles": {...}, "collections": [LABEL, ...],
//             "open": {"collection": LABEL, "entry": TEXT, "fields": [LABEL, ...]},
//             "save": {"field": LABEL, "text": TEXT}  (optional: type, save, print "saved"),
//             "screenshots": DIR  (optional: the list and the form as PNG files)}
// Prints {"configError", "collections": {LABEL: shown}, "entries": [the list's headings],
// "fields": {LABEL: shown}, "formText", "pageErrors", "refused", "unpkg"}.
//
// admin/ is served from 127.0.0.1 as it is, index.html included: its pinned unpkg URL is
// answered from node_modules/decap-cms/dist (the same bytes, so the browser's Subresource
// Integrity check passes only if the hash in index.html is right). The test gives a
// config.yml whose backend is Decap's in-memory `test-repo`, holding `repoFiles`. Every
// other request that leaves the machine is refused. Elements are found by their text and
// labels, never by Decap's generated ids. Exits 0 when it could look (the Python test
// judges what it saw), 2 when the browser could not be driven.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

import { WAIT, fulfillPinned, launch, pinnedFile, visible } from "./browser.mjs";

const TYPES = { ".html": "text/html", ".yml": "text/yaml", ".js": "text/javascript" };

function serve(folder) {
  const server = http.createServer((request, response) => {
    const name = path.basename(new URL(request.url, "http://x").pathname) || "index.html";
    const file = path.join(folder, name);
    if (!fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(name)] || "text/plain" });
    response.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// Types `text` into the field labelled `field` (its own words first, as above), saves, and
// records what Decap's test backend holds for the entry: the text a save would commit.
async function save(page, { field, text }, result) {
  const label = page.locator("label").filter({ hasText: new RegExp(`^${field}\\b`, "i") }).first();
  const id = await label.getAttribute("for");
  const input = id ? page.locator(`[id="${id}"]`) : label.locator("xpath=following::textarea[1]");
  await input.fill(text);
  await page.getByRole("button", { name: /^save$/i }).first().click();
  await page.waitForFunction(() => Object.keys(window.repoFilesUnpublished || {}).length > 0, null, {
    timeout: WAIT,
  });
  result.saved = await page.evaluate(() =>
    Object.values(window.repoFilesUnpublished).flatMap((entry) =>
      entry.diffs.map((diff) => ({ path: diff.path, content: diff.content })),
    ),
  );
}

// With "screenshots": DIR in the plan, what a principal sees, for docs/editor.md.
async function shoot(page, plan, name) {
  if (!plan.screenshots) return;
  await page.waitForTimeout(500); // let the list or the form finish drawing
  await page.screenshot({ path: path.join(plan.screenshots, name) });
}

async function main(planFile) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const server = await serve(plan.admin);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await launch("sipctl-decap-");
  const seen = { pageErrors: [], refused: [], unpkg: [] };
  try {
    await context.route("**/*", async (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith("data:") || url.startsWith("blob:")) {
        return route.continue();
      }
      const pinned = pinnedFile(url);
      if (pinned) {
        seen.unpkg.push(url);
        return fulfillPinned(route, pinned);
      }
      seen.refused.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
    page.on("console", (m) => m.type() === "error" && seen.pageErrors.push(m.text().slice(0, 1500)));
    await page.addInitScript((files) => {
      window.repoFiles = files;
    }, plan.repoFiles);
    await page.goto(`${origin}/index.html`, { waitUntil: "load" });

    const result = { ...seen, collections: {}, entries: [], fields: {} };
    // test-repo's sign-in page: one button, no account
    const login = page.getByRole("button", { name: /login/i });
    if (await visible(login)) await login.first().click();
    const ready = await visible(page.getByRole("link", { name: plan.collections[0] }));
    const body = await page.locator("body").innerText();
    result.configError = /Error loading the CMS configuration/.test(body) ? body : null;
    for (const name of plan.collections) {
      result.collections[name] =
        ready && (await page.getByRole("link", { name, exact: true }).count()) > 0;
    }
    if (ready && plan.open) {
      await page.getByRole("link", { name: plan.open.collection, exact: true }).first().click();
      const entry = page.getByText(plan.open.entry, { exact: false });
      if (await visible(entry)) {
        result.entries = await page.getByRole("heading", { level: 2 }).allInnerTexts();
        await shoot(page, plan, "editor-list.png");
        await entry.first().click();
        for (const name of plan.open.fields) {
          // a label reads "Reflection (optional)": its own words first
          const label = page.locator("label").filter({ hasText: new RegExp(`^${name}\\b`, "i") });
          result.fields[name] = await visible(label);
        }
        result.formText = await page.locator("body").innerText();
        await shoot(page, plan, "editor-form.png");
        if (plan.save) await save(page, plan.save, result);
      }
    }
    process.stdout.write(JSON.stringify(result, null, 1) + "\n");
    return 0;
  } finally {
    await context.closeAll();
    server.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
