// Opens the editor `sipctl edit` serves, in Debian's Chromium, signs in to the local
// backend, opens an entry, changes a field and saves; prints what it saw as JSON.
//
//   node tests/js/decap_local.mjs PLAN.json
//
// PLAN.json: {"address": "http://127.0.0.1:PORT/", "collection": LABEL, "entry": TEXT,
//             "field": LABEL, "text": TEXT}
// Prints {"collections": [link texts], "opened", "saved", "pageErrors", "refused"}.
//
// The page and decap-server are both on 127.0.0.1 and are reached for real. The pinned
// unpkg URLs (Decap, and the yaml module sipctl's save format imports) are answered from
// node_modules, the same bytes, so the hash pinned in index.html still has to match; any
// other request that leaves the machine is refused. Elements are found by their text and
// labels. Exits 0 when it could look (the Python test judges), 2 when it could not.
import fs from "node:fs";

import { launch, openLocalEditor, visible } from "./browser.mjs";

async function main(planFile) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const context = await launch("sipctl-edit-");
  const result = { collections: [], opened: false, saved: false, pageErrors: [], refused: [] };
  try {
    const page = await openLocalEditor(context, plan.address, result);
    const collection = page.getByRole("link", { name: plan.collection, exact: true });
    if (!(await visible(collection))) {
      result.body = (await page.locator("body").innerText()).slice(0, 2000);
      process.stdout.write(JSON.stringify(result, null, 1) + "\n");
      return 0;
    }
    result.collections = await page.getByRole("link").allInnerTexts();
    await collection.first().click();
    const entry = page.getByText(plan.entry, { exact: false });
    if (await visible(entry)) {
      await entry.first().click();
      const label = page
        .locator("label")
        .filter({ hasText: new RegExp(`^${plan.field}\\b`, "i") })
        .first();
      result.opened = await visible(label);
      if (result.opened) {
        const id = await label.getAttribute("for");
        const input = id
          ? page.locator(`[id="${id}"]`)
          : label.locator("xpath=following::textarea[1]");
        await input.fill(plan.text);
        await page.getByRole("button", { name: /^save$/i }).first().click();
        // Decap says "Entry saved" once decap-server has committed the branch
        result.saved = await visible(page.getByText(/entry saved/i));
      }
    }
    process.stdout.write(JSON.stringify(result, null, 1) + "\n");
    return 0;
  } finally {
    await context.closeAll();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
