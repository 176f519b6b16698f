// A principal's edit in the editor `sipctl edit` serves, in Debian's Chromium: sign in to
// the local backend, open a school's form, change fields inside list items, add an item
// to a list, try a value the form must refuse, save, and move the entry to "In review".
// Prints what it saw as JSON; the Python test judges it and the repository.
//
//   node tests/js/decap_scenario.mjs PLAN.json
//
// PLAN.json:
//   {"address": "http://127.0.0.1:PORT/", "collection": LABEL, "entry": TEXT,
//    "steps": [{"item": SUMMARY, "fill": LABEL, "text": TEXT},
//              {"item": SUMMARY, "add": LABEL, "text": TEXT}, ...],
//    "refused": {"item": SUMMARY, "field": LABEL, "text": TEXT},   (typed, saved, put back)
//    "status": "In review",
//    "screenshots": DIR}                                            (optional)
// SUMMARY is a list item's collapsed summary as the form shows it ("L1 · Safe and ...");
// LABEL is a field's label, its own words ("Evidence", not "Evidence (optional)").
// Prints {"opened", "refusal", "saved", "status", "pageErrors", "refused"}.
//
// Elements are found as a person finds them: by the words on the screen and the labels
// of fields, never by Decap's generated ids or class names. Exits 0 when it could look,
// 2 when the browser could not be driven.
import fs from "node:fs";
import path from "node:path";

import { WAIT, launch, openLocalEditor, visible } from "./browser.mjs";

/** The list item whose collapsed summary reads `summary`, opened. A handle, not a
 * locator: the summary changes as its fields are edited, the item does not. */
async function openItem(page, items, summary) {
  if (items.has(summary)) return items.get(summary);
  const text = page.getByText(summary, { exact: true });
  await text.first().waitFor({ state: "visible", timeout: WAIT });
  const item = await text.first().locator("xpath=..").elementHandle();
  // the item's first button is the arrow that opens and closes it
  await (await item.$("button")).click();
  items.set(summary, item);
  return item;
}

/** The inputs of `item` labelled `name`, in order ("Evidence" matches "Evidence (optional)"). */
async function inputs(page, item, name) {
  const found = [];
  for (const label of await item.$$("label")) {
    const words = (await label.innerText()).replace(/\s*\(optional\)\s*$/i, "").trim();
    if (words.toLowerCase() !== name.toLowerCase()) continue;
    const id = await label.getAttribute("for");
    if (id) found.push(page.locator(`[id="${id}"]`));
  }
  return found;
}

async function fill(page, item, name, text) {
  const [input] = await inputs(page, item, name);
  if (!input) throw new Error(`no field labelled ${name}`);
  await input.fill(text);
}

/** "Add data sources", then the new (last) field of that list. */
async function add(page, item, name, text) {
  const before = (await inputs(page, item, name)).length;
  let pressed = false;
  for (const button of await item.$$("button")) {
    if ((await button.innerText()).trim().toLowerCase() === `add ${name.toLowerCase()}`) {
      await button.click();
      pressed = true;
      break;
    }
  }
  if (!pressed) throw new Error(`no button "Add ${name}"`);
  let after = await inputs(page, item, name);
  for (let tries = 0; after.length <= before && tries < 50; tries += 1) {
    await page.waitForTimeout(100);
    after = await inputs(page, item, name);
  }
  if (after.length <= before) throw new Error(`"Add ${name}" added no field`);
  await after[after.length - 1].fill(text);
}

async function save(page) {
  await page.getByRole("button", { name: /^save$/i }).first().click();
}

async function shoot(page, plan, name) {
  if (!plan.screenshots) return;
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(plan.screenshots, name) });
}

async function main(planFile) {
  const plan = JSON.parse(fs.readFileSync(planFile, "utf8"));
  const context = await launch("sipctl-scenario-");
  const result = { opened: false, refusal: null, saved: false, status: null };
  result.pageErrors = [];
  result.refused = [];
  try {
    const page = await openLocalEditor(context, plan.address, result);
    await page.getByRole("link", { name: plan.collection, exact: true }).first().click();
    const entry = page.getByText(plan.entry, { exact: false });
    if (!(await visible(entry))) throw new Error(`no entry ${plan.entry} in ${plan.collection}`);
    await entry.first().click();
    result.opened = true;

    const items = new Map();
    for (const step of plan.steps) await openItem(page, items, step.item);
    if (plan.refused) await openItem(page, items, plan.refused.item);
    for (const step of plan.steps) {
      const item = items.get(step.item);
      if (step.fill) await fill(page, item, step.fill, step.text);
      if (step.add) await add(page, item, step.add, step.text);
    }

    if (plan.refused) {
      // the form must refuse the value with the pattern's words, and save nothing
      const { item: summary, field, text } = plan.refused;
      const item = items.get(summary);
      const [input] = await inputs(page, item, field);
      const kept = await input.inputValue();
      await input.fill(text);
      await save(page);
      const message = page.getByText(/no spaces/i);
      if (await visible(message)) result.refusal = (await message.first().textContent()).trim();
      await shoot(page, plan, "editor-refused.png");
      // as a person would: rub it out and type the old value again (Decap's text field
      // keeps its own caret, so a programmatic fill after a refusal lands mid-text)
      await input.click();
      await input.press("End");
      for (const _ of text) await input.press("Backspace");
      await input.pressSequentially(kept);
    }

    await save(page);
    result.saved = await visible(page.getByText(/entry saved/i));
    if (result.saved && plan.status) {
      await page.getByRole("button", { name: /^status:/i }).first().click();
      await page.getByRole("menuitem", { name: plan.status }).first().click();
      result.status = (await visible(page.getByText(/status updated/i))) ? plan.status : null;
      await shoot(page, plan, "editor-in-review.png");
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
