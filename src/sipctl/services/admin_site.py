"""The district's `admin/` folder (written by `sipctl editor`) served on 127.0.0.1 for
`sipctl edit`, with its `config.yml` changed for local mode in the served copy only.

Two values change, and nothing else, byte for byte: `local_backend` becomes the address
of the decap-server this session started (Decap then talks to it instead of GitHub), and
`backend.branch` becomes the edit worktree's base branch (decap-server needs a branch
that exists in its worktree, and `main` is the user's). The two values are spliced into
the text at the places the YAML parser marks, as pre-commit's autoupdate edits one line,
rather than the file being loaded and dumped again: PyYAML reads YAML 1.1, Decap reads
YAML 1.2, and a re-dump could change what Decap reads (`on`, `no`, `08`).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import yaml

from sipctl.errors import ConfigurationError, UsageError

ADMIN = "admin"
CONFIG = "config.yml"
_NEEDED = ("index.html", CONFIG)


def admin_folder(district: Path) -> Path:
    """The district's `admin/` folder; a ConfigurationError when it is not there."""
    folder = district / ADMIN
    missing = [name for name in _NEEDED if not (folder / name).is_file()]
    if missing:
        raise ConfigurationError(
            f"{folder} has no {' or '.join(missing)}: the browser editor is not set up here",
            hint="run `sipctl editor --out admin` to write it (and commit it), "
            "then `sipctl edit` again",
        )
    return folder


def served_config(text: str, *, api: str, branch: str, file: str = CONFIG) -> str:
    """`config.yml`'s text with `local_backend: {url: API}` and `backend.branch: BRANCH`."""
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ConfigurationError(f"is not YAML: {exc}", file=file) from None
    if not isinstance(document, yaml.MappingNode):
        raise ConfigurationError("is not a mapping of settings", file=file)
    backend = _value(document, "backend")
    if not isinstance(backend, yaml.MappingNode):
        raise ConfigurationError(
            "has no `backend:` settings", file=file, hint="run `sipctl editor --out admin`"
        )
    edits: list[tuple[int, int, str]] = []
    quoted_branch = json.dumps(branch)  # a JSON string is a YAML double-quoted scalar
    old_branch = _value(backend, "branch")
    if old_branch is not None:
        edits.append(_replace(text, old_branch, quoted_branch))
    elif backend.flow_style or not backend.value:
        raise ConfigurationError("`backend:` has no `branch:` sipctl can set", file=file)
    else:
        first_key = backend.value[0][0].start_mark
        line_start = first_key.index - first_key.column
        edits.append((line_start, line_start, f"{' ' * first_key.column}branch: {quoted_branch}\n"))
    local = f"{{url: {json.dumps(api)}}}"
    old_local = _value(document, "local_backend")
    if old_local is not None:
        edits.append(_replace(text, old_local, local))
    else:
        end = "" if text.endswith("\n") or not text else "\n"
        edits.append((len(text), len(text), f"{end}local_backend: {local}\n"))
    for start, stop, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[stop:]
    return text


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _replace(text: str, node: yaml.Node, new: str) -> tuple[int, int, str]:
    start, stop = node.start_mark.index, node.end_mark.index
    # A block mapping or list ends where the next key starts: keep its line break.
    if isinstance(node, yaml.CollectionNode) and not node.flow_style:
        return start, stop, new + "\n"
    return start, stop, new


@dataclass
class AdminSite:
    server: ThreadingHTTPServer
    address: str  # http://127.0.0.1:PORT/


class _Handler(SimpleHTTPRequestHandler):
    """The admin folder's files; `/config.yml` is the local-mode copy. Nothing is
    cached: the next session's config.yml names another decap-server port."""

    config: bytes = b""

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] in ("/" + CONFIG, "/" + ADMIN + "/" + CONFIG):
            self.send_response(200)
            self.send_header("Content-Type", "text/yaml; charset=utf-8")
            self.send_header("Content-Length", str(len(self.config)))
            self.end_headers()
            self.wfile.write(self.config)
            return
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # a line for each file of the page would bury the address


@contextlib.contextmanager
def serving_admin(folder: Path, config: str, *, port: int | None) -> Iterator[AdminSite]:
    """`folder` served on 127.0.0.1:`port` (any free port when None) in a thread, with
    `config` as its config.yml, until the block ends."""
    handler = type("AdminHandler", (_Handler,), {"config": config.encode("utf-8")})
    try:
        server = ThreadingHTTPServer(
            ("127.0.0.1", port or 0), partial(handler, directory=str(folder))
        )
    except OSError as exc:
        raise UsageError(
            f"cannot serve the editor on 127.0.0.1:{port}: {exc.strerror or exc}",
            hint="pick another port with --port N, or leave --port out for a free one",
        ) from None
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="sipctl-edit-http", daemon=True)
    thread.start()
    try:
        yield AdminSite(server, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
