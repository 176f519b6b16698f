"""The editor agrees with `sipctl check`: the workspace `sipctl init` writes makes VS Code's
YAML language server flag what check flags, where check flags it.

The server is the real one (yaml-language-server, pinned in package.json; VS Code's YAML
extension runs the same), started over stdio and spoken to in LSP as an editor would: the
settings it gets are the ones in the district's `.vscode/settings.json`.
"""

from __future__ import annotations

import json
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pytest

from cli import sipctl

SOURCE_ROOT = Path(__file__).resolve().parents[1]
SERVER = SOURCE_ROOT / "node_modules" / ".bin" / "yaml-language-server"
WAIT = 60.0  # seconds for any one answer: generous, the test machine is shared
AS_OF = "2022-01-10"  # before the first deadline: check reports only what is in the files
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
# YAML 1.1 reads these unquoted words as booleans (PyYAML, and so check, reads YAML 1.1).
WORDS = ["no", "yes", "on", "off"]


# a small LSP client ---------------------------------------------------------------------------
class LanguageServer:
    """yaml-language-server over stdio: Content-Length framed JSON-RPC, one reader thread.

    Messages are handled on the caller's thread while it waits (`_pump`), so the server's
    own requests (workspace/configuration, asked again before every validation) get the
    workspace settings as VS Code would give them.
    """

    def __init__(self, root: Path, settings: dict[str, Any]) -> None:
        self.root = root
        self.settings = settings
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.notified: list[str] = []
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        self._stderr = root.parent / f"yaml-language-server.{id(self)}.log"
        with self._stderr.open("wb") as log:
            self.process = subprocess.Popen(
                [str(SERVER), "--stdio"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=root,
            )
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    # framing
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        try:
            while True:
                length = None
                while (line := stream.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("ascii").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                if not line or length is None:
                    return
                self._messages.put(json.loads(stream.read(length)))
        finally:
            self._messages.put(None)  # the server went away: waiting stops at once

    def _pump(
        self, done: Callable[[dict[str, Any]], bool], what: str, wait: float = WAIT
    ) -> dict[str, Any]:
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            try:
                message = self._messages.get(timeout=max(left, 0))
            except queue.Empty:
                raise AssertionError(f"no {what} within {wait:.0f}s{self._log()}") from None
            if message is None:
                raise AssertionError(f"the server stopped while waiting for {what}{self._log()}")
            self._handle(message)
            if done(message):
                return message

    def _handle(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            params = message["params"]
            self.diagnostics[params["uri"]] = params["diagnostics"]
        elif method is not None and "id" in message:  # the server asks: answer, or it waits
            result = None
            if method == "workspace/configuration":
                result = [
                    self.section(item.get("section", "")) for item in message["params"]["items"]
                ]
            self._send({"id": message["id"], "result": result})
        elif method is not None:
            self.notified.append(method)

    def _log(self) -> str:
        text = self._stderr.read_text("utf-8", errors="replace")[-2000:]
        return f"; the server's stderr ended with:\n{text}" if text else ""

    def request(self, method: str, params: dict[str, Any], wait: float = WAIT) -> Any:
        self._next_id += 1
        ident = self._next_id
        self._send({"id": ident, "method": method, "params": params})
        answer = self._pump(lambda m: m.get("id") == ident and "method" not in m, method, wait)
        assert "error" not in answer, answer
        return answer.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def section(self, name: str) -> Any:
        """A section of the flat settings.json as VS Code's getConfiguration nests it:
        "yaml.schemaStore.enable" is yaml -> schemaStore -> enable; "[yaml]" is as written."""
        if name in self.settings:
            return self.settings[name]
        nested: dict[str, Any] = {}
        for key, value in self.settings.items():
            if key.startswith(name + "."):
                *parents, leaf = key[len(name) + 1 :].split(".")
                node = nested
                for parent in parents:
                    node = node.setdefault(parent, {})
                node[leaf] = value
        return nested

    # the session
    def start(self) -> None:
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": self.root.as_uri(),
                "workspaceFolders": [{"uri": self.root.as_uri(), "name": self.root.name}],
                "capabilities": {
                    "workspace": {"configuration": True, "workspaceFolders": True},
                    "textDocument": {"publishDiagnostics": {}},
                },
            },
        )
        # As VS Code's extension does: the server then says when settings are applied.
        self.notify("yaml/supportSchemaSelection", {})
        self.notify("initialized", {})
        self.notify(
            "workspace/didChangeConfiguration", {"settings": {"yaml": self.section("yaml")}}
        )
        self._pump(lambda m: m.get("method") == "yaml/schema/store/initialized", "settings")

    def diagnose(self, rel: str) -> list[dict[str, Any]]:
        """Open a file as the editor does and return what the server publishes for it. A file
        is opened once per server: the settings and the text stay the same, and so would the
        diagnostics."""
        uri = (self.root / rel).as_uri()
        if uri in self.diagnostics:
            return self.diagnostics[uri]
        text = (self.root / rel).read_text("utf-8")
        item = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": item})
        self._pump(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            ),
            f"diagnostics for {rel}",
        )
        return self.diagnostics[uri]

    def stop(self) -> None:
        """Always ends the process: a polite shutdown first, then kill."""
        try:
            if self.process.poll() is None:
                self.request("shutdown", {}, wait=5)
                self.notify("exit", {})
                self.process.wait(timeout=5)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            pass
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


# the district -----------------------------------------------------------------------------------
def set_line(root: Path, rel: str, pattern: str, new: str, nth: int = 0) -> int:
    """Replace the `nth` line matching `pattern` (keeping its indentation) and return its
    1-based number, as check reports it."""
    path = root / rel
    lines = path.read_text("utf-8").splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if re.match(rf"\s*(- )?{pattern}", line)]
    index = hits[nth]
    indent = re.match(r"\s*(- )?", lines[index])
    assert indent is not None
    lines[index] = indent.group(0) + new + "\n"
    path.write_text("".join(lines), "utf-8")
    return index + 1


@dataclass
class District:
    root: Path
    settings: dict[str, Any]
    lines: dict[str, int]  # what was written -> its line
    findings: list[dict[str, Any]]

    def check_lines(self, rel: str) -> set[int]:
        return {f["line"] for f in self.findings if f["file"] == rel}


def new_district(root: Path) -> Path:
    root.mkdir()
    run = sipctl("init", "maple", "--cycle", "2022-23", "--name", "Maple Elementary", cwd=root)
    assert run.code == 0, run.err
    return root


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> District:
    """A new district where the TLT typed yes/no/on/off unquoted in text fields, a quoted
    "no", and a status no YAML version accepts; checked once, as CI would."""
    root = new_district(tmp_path_factory.mktemp("editor") / "district")
    lines = {}
    for nth, (word, field) in enumerate(zip(WORDS, ["lever", "evidence"] * 2, strict=True)):
        lines[word] = set_line(root, LEVERS, f"{field}:", f"{field}: {word}", nth // 2)
    lines["quoted"] = set_line(root, LEVERS, "reflection:", 'reflection: "no"')
    lines["status"] = set_line(root, LEVERS, "status:", "status: finished")
    run = sipctl("check", "--repo", root, "--format", "json", "--as-of", AS_OF)
    assert run.code in (0, 1), run.err
    settings = json.loads((root / ".vscode/settings.json").read_text("utf-8"))
    return District(root, settings, lines, run.json()["findings"])


@contextmanager
def editor(district: District, **overrides: Any) -> Iterator[LanguageServer]:
    if not SERVER.exists():
        pytest.skip(f"{SERVER.relative_to(SOURCE_ROOT)} is missing: run `npm ci` (.ci/run does)")
    # The schema store is a catalogue fetched from the network; the test stays offline.
    settings = {**district.settings, "yaml.schemaStore.enable": False, **overrides}
    server = LanguageServer(district.root, settings)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def yaml11(district: District) -> Iterator[LanguageServer]:
    """The editor with the kit's settings, as written."""
    with editor(district) as server:
        yield server


@pytest.fixture(scope="module")
def yaml12(district: District) -> Iterator[LanguageServer]:
    """The editor with the server's default, YAML 1.2: what the kit's setting changes."""
    with editor(district, **{"yaml.yamlVersion": "1.2"}) as server:
        yield server


def lines_flagged(diagnostics: list[dict[str, Any]]) -> dict[int, list[str]]:
    """1-based line -> what the editor shows there, as "source: message"."""
    out: dict[int, list[str]] = {}
    for d in diagnostics:
        shown = f"{d.get('source', '')}: {d['message']}"
        out.setdefault(d["range"]["start"]["line"] + 1, []).append(shown)
    return out


# the kit's settings -----------------------------------------------------------------------------
def test_the_workspace_reads_yaml_11_and_recommends_the_yaml_extension(district: District) -> None:
    assert district.settings["yaml.yamlVersion"] == "1.1"
    extensions = json.loads((district.root / ".vscode/extensions.json").read_text("utf-8"))
    assert extensions == {"recommendations": ["redhat.vscode-yaml"]}


def test_every_schema_is_mapped_to_the_files_it_validates(district: District) -> None:
    mapping: dict[str, str] = district.settings["yaml.schemas"]
    schemas = sorted(p.name for p in (district.root / "schemas").glob("*.schema.json"))
    assert sorted(PurePosixPath(key).name for key in mapping) == schemas
    scaffolded = [
        p.relative_to(district.root).as_posix()
        for p in district.root.glob("**/*.yaml")
        if not any(part.startswith(".") for part in p.relative_to(district.root).parts)
    ]
    for rel in scaffolded:
        # The server matches a pattern anywhere below the workspace (it adds **/).
        matched = [k for k, glob in mapping.items() if PurePosixPath(rel).match(glob)]
        modeline = (district.root / rel).read_text("utf-8").splitlines()[0]
        expected = modeline.rsplit("/", 1)[1]
        assert [PurePosixPath(k).name for k in matched] == [expected], rel


def test_the_editor_settings_are_committed_with_the_plans(
    tmp_path: Path, district: District
) -> None:
    shutil.copy(district.root / ".gitignore", tmp_path / ".gitignore")
    subprocess.run(["git", "-C", str(tmp_path), "init", "-q", "-b", "main"], check=True)
    ignored = subprocess.run(
        ["git", "-C", str(tmp_path), "check-ignore", ".vscode/settings.json",
         ".vscode/extensions.json", ".vscode/launch.json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ignored.stdout.split() == [".vscode/launch.json"]


def test_editor_settings_that_exist_are_kept(tmp_path: Path) -> None:
    (tmp_path / "district/.vscode").mkdir(parents=True)
    own = '{"editor.fontSize": 15}\n'
    (tmp_path / "district/.vscode/settings.json").write_text(own)
    run = sipctl("init", "maple", "--cycle", "2022-23", cwd=tmp_path / "district")
    assert run.code == 0, run.err
    assert (tmp_path / "district/.vscode/settings.json").read_text() == own
    assert "kept     .vscode/settings.json" in run.out
    assert "wrote    .vscode/extensions.json" in run.out


# the editor agrees with check --------------------------------------------------------------------
@pytest.mark.parametrize("word", WORDS)
def test_an_unquoted_yes_or_no_in_a_text_field_is_flagged_by_the_editor_and_check(
    district: District, yaml11: LanguageServer, word: str
) -> None:
    line = district.lines[word]
    messages = lines_flagged(yaml11.diagnose(LEVERS)).get(line, [])
    # e.g. 'yaml-schema: Lever: Incorrect type. Expected "string | null".'
    schema = [m for m in messages if m.startswith("yaml-schema")]
    assert any("Incorrect type" in m and "string" in m for m in schema), (line, messages)
    (finding,) = [f for f in district.findings if f["file"] == LEVERS and f["line"] == line]
    assert finding["rule"] == "schema" and finding["severity"] == "error"
    assert f'write "{word}" in quotes' in finding["hint"]


def test_a_quoted_no_is_flagged_by_neither(district: District, yaml11: LanguageServer) -> None:
    flagged = lines_flagged(yaml11.diagnose(LEVERS))
    assert district.lines["no"] in flagged  # the same file, validated against its schema
    assert district.lines["quoted"] not in flagged
    assert district.lines["quoted"] not in district.check_lines(LEVERS)


def test_without_the_kits_yaml_version_the_editor_says_nothing_about_no(
    district: District, yaml12: LanguageServer
) -> None:
    flagged = lines_flagged(yaml12.diagnose(LEVERS))
    assert district.lines["status"] in flagged  # the schema applies: a bad status is flagged
    assert not {district.lines[w] for w in WORDS} & set(flagged), flagged
    # ...while check still rejects them: the editor and check disagree without the setting.
    assert {district.lines[w] for w in WORDS} <= district.check_lines(LEVERS)


def test_hovering_shows_the_field_description_and_completion_the_choices(
    district: District, yaml11: LanguageServer
) -> None:
    schema = json.loads((district.root / "schemas/priority-levers.schema.json").read_text("utf-8"))
    described = {
        field["description"]
        for block in [schema, *schema.get("$defs", {}).values()]
        for name, field in block.get("properties", {}).items()
        if name == "lever" and "description" in field
    }
    statuses = schema["properties"]["status"]["enum"]
    yaml11.diagnose(LEVERS)  # the file open in the editor
    text = (district.root / LEVERS).read_text("utf-8").splitlines()
    at = {key: next(i for i, line in enumerate(text) if line.strip().startswith(key))
          for key in ("lever:", "status:")}  # fmt: skip
    doc = {"uri": (district.root / LEVERS).as_uri()}
    hover = yaml11.request(
        "textDocument/hover",
        {"textDocument": doc, "position": {"line": at["lever:"], "character": 6}},
    )
    assert any(d in hover["contents"]["value"] for d in described), (described, hover)
    offered = yaml11.request(
        "textDocument/completion",
        {"textDocument": doc, "position": {"line": at["status:"], "character": len("status: ")}},
    )
    labels = [item["label"] for item in offered["items"]]
    assert set(statuses) <= set(labels), labels


# A typo in each kind of file, the modeline deleted: only yaml.schemas maps the file.
TYPOS = [
    ("sipctl.yaml", "warning_days:", "warning_days: a week", "Incorrect type"),
    ("schools/maple/school.yaml", "grades:", 'grade: "K-5"', "Property grade is not allowed"),
    ("cycles/2022-23.yaml", "timezone:", "timezon: America/New_York", "is not allowed"),
    ("schools/maple/2022-23/calendars.yaml", "status:", "statuss: draft", "is not allowed"),
]


@pytest.fixture(scope="module")
def unmapped(tmp_path_factory: pytest.TempPathFactory, district: District) -> District:
    root = new_district(tmp_path_factory.mktemp("unmapped") / "district")
    lines = {}
    for rel, pattern, typo, _ in TYPOS:
        path = root / rel
        first, rest = path.read_text("utf-8").split("\n", 1)
        assert first.startswith("# yaml-language-server: $schema="), rel
        path.write_text(rest, "utf-8")
        lines[rel] = set_line(root, rel, pattern, typo)
    return District(root, district.settings, lines, [])


@pytest.fixture(scope="module")
def yaml11_unmapped(unmapped: District) -> Iterator[LanguageServer]:
    with editor(unmapped) as server:
        yield server


@pytest.mark.parametrize(("rel", "message"), [(t[0], t[3]) for t in TYPOS])
def test_a_typo_is_flagged_through_the_schema_mapping_without_a_modeline(
    unmapped: District, yaml11_unmapped: LanguageServer, rel: str, message: str
) -> None:
    line = unmapped.lines[rel]
    messages = lines_flagged(yaml11_unmapped.diagnose(rel)).get(line, [])
    assert any(m.startswith("yaml-schema") and message in m for m in messages), (line, messages)
