// The browser's save format run by tests/test_fmt.py: reads {"layouts", "cases"} as JSON
// on stdin, each case {"data"} or {"text"}; writes, for each, {"out"} (toFile of the data,
// or of fromFile(text)), {"data"} (fromFile(text) alone, with "read": true) or {"error"}.
"use strict";
const path = require("path");
const format = require(path.join(__dirname, "..", "..", "templates", "editor", "sipctl-format.js"));
const YAML = require("yaml");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { layouts, cases } = JSON.parse(input);
  const results = cases.map((c) => {
    try {
      if (c.yaml12) return { data: YAML.parse(c.text) }; // YAML 1.2, as other tools read
      if (c.read) return { data: format.fromFile(c.text) };
      const data = "text" in c ? format.fromFile(c.text) : c.data;
      return { out: format.toFile(data, layouts) };
    } catch (e) {
      return { error: String(e && e.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
