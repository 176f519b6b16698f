// Runs axe-core over rendered pages in Debian's Chromium and prints what it found as JSON.
//
//   node tests/js/axe_pages.mjs PAGE.html [PAGE.html ...]
//
// Prints {"axe": VERSION, "pages": [{"page": PATH, "violations": [{"id", "impact", "help",
// "nodes": [{"target", "summary"}]}]}]} on stdout; exits 0 when every page was audited
// (whatever axe found: the Python test judges), 2 when a page could not be audited.
//
// Each run gets a fresh profile (browser.mjs), and every request that is not for a local
// file is refused, so a page that tried to load something would fail here as it would
// fail its readers' privacy.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { MODULES, launch } from "./browser.mjs";

const axeSource = fs.readFileSync(path.join(MODULES, "axe-core", "axe.min.js"), "utf8");

async function main(pages) {
  if (pages.length === 0) {
    process.stderr.write("usage: node tests/js/axe_pages.mjs PAGE.html [PAGE.html ...]\n");
    return 2;
  }
  const context = await launch("sipctl-axe-");
  try {
    await context.route("**/*", (route) =>
      route.request().url().startsWith("file:") ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    const results = [];
    let version = null;
    for (const file of pages) {
      await page.goto(pathToFileURL(path.resolve(file)).href, { waitUntil: "load" });
      // Evaluated, not added as a <script>: the pages carry no scripts of their own and
      // must not need to allow one.
      await page.evaluate(axeSource);
      // The default rules: WCAG A and AA and the best practices (landmark-unique is one).
      const found = await page.evaluate(() =>
        window.axe.run(document, { resultTypes: ["violations"] }),
      );
      version = found.testEngine.version;
      results.push({
        page: file,
        violations: found.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
        })),
      });
    }
    process.stdout.write(JSON.stringify({ axe: version, pages: results }, null, 1) + "\n");
    return 0;
  } finally {
    await context.closeAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error.stack || error}\n`);
    process.exit(2);
  },
);
