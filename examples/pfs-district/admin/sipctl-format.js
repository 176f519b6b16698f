/*
 * sipctl's canonical form of a plan document, for the browser editor (Decap CMS).
 *
 * Decap's own YAML writer drops comments and reorders nested keys, so every save would
 * rewrite the whole file. This format writes the form `sipctl fmt` writes, byte for
 * byte (tests/test_fmt.py holds the two together): the git diff of a save then shows only
 * the fields the person changed. It is a line-by-line copy of
 * src/sipctl/source/canonical.py, driven by the same layout JSON
 * (`sipctl.domain.layout.document_layouts()`: key order, date fields and the patterns of
 * text that must be quoted). The rules, and why, are in docs/fmt.md.
 *
 *   toFile(data, layouts)  the canonical text of one document's data
 *   fromFile(text)         the data, read as sipctl reads it (YAML 1.1)
 *   register(CMS, layouts, YAML)  CMS.registerCustomFormat("sipctl-yaml", "yml", ...)
 *
 * fromFile needs the npm `yaml` package, 2.x (in Node: require("yaml"); in the browser:
 * the `YAML` global, or the third argument of register). No build step: in Node this
 * file is a CommonJS module, in the browser it sets `window.SipctlFormat`.
 */
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(function () {
      return require("yaml");
    });
  } else {
    root.SipctlFormat = factory(function () {
      return root.YAML;
    });
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function (loadYaml) {
  "use strict";

  var LAYOUT_VERSION = 1;
  var INDENT = 2;
  var INDICATORS = "-?:,[]{}#&*!|>'\"%@` ";
  var ISO_DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  // The same characters as canonical.py's _UNPRINTABLE; with the u flag a surrogate pair
  // (an emoji) is one character and only a lone surrogate matches, as in Python.
  var UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]/u;
  var ESCAPES = { "\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n" };

  function toFile(data, layouts) {
    if (!layouts || layouts.version !== LAYOUT_VERSION || !layouts.documents) {
      throw new Error("sipctl-format: toFile needs the layouts of sipctl version " + LAYOUT_VERSION);
    }
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
      throw new Error("sipctl-format: a plan document is a mapping of keys");
    }
    var docId = data.document;
    var layout = typeof docId === "string" && Object.prototype.hasOwnProperty.call(layouts.documents, docId)
      ? layouts.documents[docId]
      : null;
    if (layout === null) {
      throw new Error("sipctl-format: unknown document kind " + JSON.stringify(docId));
    }
    var writer = new Writer(layouts.ambiguous.map(function (p) { return new RegExp(p); }));
    var lines = ["# yaml-language-server: $schema=../../../schemas/" + docId + ".schema.json"];
    writer.mapping(data, layout, 0, lines);
    return lines.join("\n") + "\n";
  }

  function Writer(ambiguous) {
    this.ambiguous = ambiguous;
  }

  function isMap(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function present(data, key) {
    return Object.prototype.hasOwnProperty.call(data, key) && data[key] !== undefined;
  }

  Writer.prototype.mapping = function (data, layout, indent, lines) {
    var fields = new Map(layout && layout.fields ? layout.fields : []);
    var keys = [];
    fields.forEach(function (_node, key) {
      if (present(data, key)) keys.push(key);
    });
    Object.keys(data).forEach(function (key) {
      if (!fields.has(key) && present(data, key)) keys.push(key);
    });
    var pad = " ".repeat(indent);
    for (var i = 0; i < keys.length; i++) {
      var key = keys[i];
      this.entry(pad + this.scalarText(key) + ":", data[key], fields.get(key) || null, indent, lines);
    }
  };

  Writer.prototype.entry = function (head, value, layout, indent, lines) {
    var dash = head.charAt(head.length - 1) === "-";
    var start;
    if (isMap(value) && Object.keys(value).some(function (k) { return value[k] !== undefined; })) {
      if (dash) {
        start = lines.length;
        this.mapping(value, layout, indent + INDENT, lines);
        lines[start] = head + " " + lines[start].slice(indent + INDENT);
      } else {
        lines.push(head);
        this.mapping(value, layout, indent + INDENT, lines);
      }
    } else if (Array.isArray(value) && value.length) {
      var item = layout && layout.items ? layout.items : null;
      if (dash) {
        start = lines.length;
        this.sequence(value, item, indent + INDENT, lines);
        lines[start] = head + " " + lines[start].slice(indent + INDENT);
      } else {
        lines.push(head);
        this.sequence(value, item, indent + INDENT, lines);
      }
    } else {
      var written = this.value(value, layout);
      lines.push(head + " " + written[0]);
      var pad = " ".repeat(indent + INDENT);
      written[1].forEach(function (line) {
        lines.push(line ? pad + line : "");
      });
    }
  };

  Writer.prototype.sequence = function (items, layout, indent, lines) {
    for (var i = 0; i < items.length; i++) {
      this.entry(" ".repeat(indent) + "-", items[i], layout, indent, lines);
    }
  };

  Writer.prototype.value = function (value, layout) {
    if (value === null || value === undefined) return ["null", []];
    if (value === true || value === false) return [value ? "true" : "false", []];
    if (typeof value === "number") return [numberText(value), []];
    if (typeof value === "bigint") return [value.toString(), []];
    if (value instanceof Date) return [value.toISOString().slice(0, 10), []];
    if (Array.isArray(value)) return ["[]", []];
    if (isMap(value)) return ["{}", []];
    var text = String(value);
    if (layout && layout.kind === "date" && isDate(text)) return [text, []];
    var block = literalBlock(text);
    if (block !== null) return block;
    return [this.scalarText(text), []];
  };

  Writer.prototype.scalarText = function (text) {
    if (this.plainOk(text)) return text;
    var out = '"';
    for (var ch of text) out += escapeChar(ch); // by code point, as Python does
    return out + '"';
  };

  Writer.prototype.plainOk = function (text) {
    if (text === "" || INDICATORS.indexOf(text.charAt(0)) >= 0) return false;
    var last = text.charAt(text.length - 1);
    if (last === " " || last === ":") return false;
    if (text.indexOf(": ") >= 0 || text.indexOf(" #") >= 0 || UNPRINTABLE.test(text)) return false;
    return !this.ambiguous.some(function (pattern) { return pattern.test(text); });
  };

  function escapeChar(ch) {
    if (Object.prototype.hasOwnProperty.call(ESCAPES, ch)) return ESCAPES[ch];
    if (UNPRINTABLE.test(ch)) {
      var code = ch.codePointAt(0);
      var hex = code.toString(16).toUpperCase();
      return code < 0x100 ? "\\x" + hex.padStart(2, "0") : "\\u" + hex.padStart(4, "0");
    }
    return ch;
  }

  function literalBlock(text) {
    if (text.indexOf("\n") < 0) return null;
    var body = text.replace(/\n+$/, "");
    var trailing = text.length - body.length;
    var lines = body.split("\n");
    if (
      !lines[0] ||
      lines[0].charAt(0) === " " ||
      UNPRINTABLE.test(body.split("\n").join("")) ||
      lines.some(function (line) { return line.charAt(line.length - 1) === " "; })
    ) {
      return null;
    }
    if (trailing === 0) return ["|-", lines];
    if (trailing === 1) return ["|", lines];
    for (var i = 1; i < trailing; i++) lines.push("");
    return ["|+", lines];
  }

  function isDate(text) {
    if (!ISO_DATE.test(text)) return false;
    var day = new Date(text + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  }

  // As canonical.py's number_text: whole numbers as integers, else the shortest
  // round-trip digits, positional between 1e-7 and 1e21, else d.ddde+N.
  function numberText(value) {
    if (isNaN(value)) return ".nan";
    if (!isFinite(value)) return value > 0 ? ".inf" : "-.inf";
    if (Number.isInteger(value)) return BigInt(value).toString();
    var parts = value.toExponential().split("e");
    var minus = parts[0].charAt(0) === "-" ? "-" : "";
    var digits = parts[0].replace("-", "").replace(".", "").replace(/0+$/, "") || "0";
    var power = parseInt(parts[1], 10);
    if (power > -7 && power < 21) {
      var point = power + 1;
      if (point <= 0) return minus + "0." + "0".repeat(-point) + digits;
      return minus + digits.slice(0, point) + "." + digits.slice(point);
    }
    var mantissa = digits.charAt(0) + "." + (digits.slice(1) || "0");
    return minus + mantissa + "e" + (power > 0 ? "+" : "-") + Math.abs(power);
  }

  // Reading: YAML 1.1 as PyYAML (and so sipctl) reads it. The `yaml` package's 1.1 schema
  // differs from PyYAML in three places, set right here: `y`/`n` are text, an exponent
  // needs a point and a sign (`1e5` is text), and a date is YYYY-MM-DD exactly, kept as
  // that text (what Decap's date widget reads and writes).
  var PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
  var PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
  var PYYAML_EXP = /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)[eE][-+][0-9]+$/;
  var TIMESTAMP = new RegExp(
    "^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \\t]+)" +
      "[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]*)?(?:[ \\t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$"
  );
  var TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp";

  function pyyamlTags(tags) {
    var out = [];
    tags.forEach(function (tag) {
      if (tag.tag === "tag:yaml.org,2002:bool") {
        var words = tag.test.test("yes") ? PYYAML_TRUE : PYYAML_FALSE;
        out.push(Object.assign({}, tag, { test: words }));
      } else if (tag.tag === "tag:yaml.org,2002:float" && tag.format === "EXP") {
        out.push(Object.assign({}, tag, { test: PYYAML_EXP }));
      } else if (tag.tag === TIMESTAMP_TAG && tag.test && tag.test.test("2022-05-06")) {
        out.push({
          tag: TIMESTAMP_TAG,
          default: true,
          test: TIMESTAMP,
          resolve: function (text, onError) {
            if (ISO_DATE.test(text) && !isDate(text)) onError("not a real date: " + text);
            return text;
          },
        });
      } else {
        out.push(tag);
      }
    });
    return out;
  }

  function fromFile(text, YAML) {
    YAML = YAML || loadYaml();
    if (!YAML || typeof YAML.parseDocument !== "function") {
      throw new Error("sipctl-format: fromFile needs the `yaml` package (2.x) loaded as YAML");
    }
    var doc = YAML.parseDocument(text, {
      version: "1.1",
      customTags: pyyamlTags,
      uniqueKeys: true,
      merge: false,
    });
    if (doc.errors.length) {
      throw new Error("YAML parsing error:\n" + doc.errors.map(function (e) { return e.message; }).join("\n"));
    }
    return doc.toJS({ maxAliasCount: 0 });
  }

  function register(CMS, layouts, YAML) {
    CMS.registerCustomFormat("sipctl-yaml", "yml", {
      fromFile: function (text) {
        return fromFile(text, YAML);
      },
      toFile: function (data) {
        return toFile(data, layouts);
      },
    });
  }

  return { toFile: toFile, fromFile: fromFile, register: register, LAYOUT_VERSION: LAYOUT_VERSION };
});
