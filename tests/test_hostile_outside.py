"""Nothing outside the repository or `--out` is written, moved or deleted (issue 26,
family 4).

A pull request can commit a symbolic link named like the folder CI writes into (the kit
renders into `site` and adds the editor at `site/admin`), and CI restores `.git/sipctl`
from a cache, so that folder can be a link, a FIFO or a file. Each case is built for
real in a git repository, sipctl runs as a subprocess with a timeout (a FIFO must not
hang it), and a folder outside the repository, full of files, must come out byte for
byte and mtime for mtime as it went in.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from cli import run_sipctl
from district import header, write_district
from gitrepo import GitRepo

AS_OF = "2022-06-01"
LEVERS = "schools/maple/2022-23/priority-levers.yaml"
LINKS = {  # how a committed link can lead out of the repository
    "absolute": lambda outside: str(outside),
    "relative": lambda outside: "../outside",
}


def tree(root: Path) -> dict[str, tuple[int, bytes | str | None, int]]:
    """Every entry under `root` (and `root`): its kind, its bytes (a link: where it leads)
    and its mtime, never following a link."""
    entries = {}
    inside = sorted(root.rglob("*")) if root.is_dir() and not root.is_symlink() else []
    for path in [root, *inside]:
        info = path.lstat()
        kind = stat.S_IFMT(info.st_mode)
        content: bytes | str | None = None
        if stat.S_ISREG(info.st_mode):
            content = path.read_bytes()
        elif stat.S_ISLNK(info.st_mode):
            content = os.readlink(path)
        entries[path.relative_to(root).as_posix()] = (kind, content, info.st_mtime_ns)
    return entries


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the repository with something in it to lose: files named like
    what sipctl writes, and a folder."""
    folder = tmp_path / "outside"
    (folder / "2022-23").mkdir(parents=True)
    (folder / "index.html").write_text("<p>someone else's site</p>\n")
    (folder / "2022-23" / "maple.html").write_text("<p>not render's</p>\n")
    (folder / "whole.jsonl").write_text("not a cache\n")
    (folder / "subset-0123.jsonl").write_text("not a cache either\n")
    (folder / "config.yml").write_text("backend: none\n")
    (folder / "precious.txt").write_text("keep me\n")
    return folder


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A district in git, with a draft submitted on time."""
    repo = GitRepo.init(tmp_path / "district")
    write_district(repo.path, schools=("maple", "oak"))
    repo.commit("scaffold", date="2022-04-01T09:00:00-04:00")
    repo.write(LEVERS, header("priority-levers", status="draft"))
    repo.commit("maple draft", date="2022-04-12T09:00:00-04:00")
    return repo


def sipctl_in(repo: GitRepo, *args: str | Path) -> tuple[int, str, str]:
    proc = run_sipctl(*args, cwd=repo.path, timeout=60)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout, proc.stderr


def commit_link(repo: GitRepo, name: str, target: str) -> None:
    """A link committed in a pull request, as git checks it out."""
    (repo.path / name).parent.mkdir(parents=True, exist_ok=True)
    (repo.path / name).symlink_to(target)
    repo.commit(f"add {name}", date="2022-04-20T09:00:00-04:00")


# --- a committed link named like --out --------------------------------------------------------
@pytest.mark.parametrize("lead", ["absolute", "relative"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_render_refuses_a_committed_link_named_like_its_out(
    repo: GitRepo, outside: Path, lead: str, jobs: str
) -> None:
    commit_link(repo, "site", LINKS[lead](outside))
    before = tree(outside)
    code, out, err = sipctl_in(repo, "render", "--format", "html", "--out", "site", "--jobs", jobs)
    assert code == 2 and out == ""
    assert err.startswith("error: refusing to write into site: it is a symbolic link\n")
    assert "hint: remove the link, or give the folder it leads to as --out" in err
    assert tree(outside) == before
    assert os.readlink(repo.path / "site") == LINKS[lead](outside)  # the link itself is kept


def test_render_refuses_a_committed_link_on_the_way_to_its_out(
    repo: GitRepo, outside: Path
) -> None:
    commit_link(repo, "public", str(outside))
    before = tree(outside)
    code, _, err = sipctl_in(repo, "render", "--format", "md", "--out", "public/site")
    assert code == 2
    assert err.startswith(
        f"error: refusing to write into public/site: {repo.path / 'public'} on the way is a "
        "symbolic link inside the district\n"
    )
    assert tree(outside) == before


def test_a_home_folder_behind_the_link_is_left_alone(repo: GitRepo, outside: Path) -> None:
    # As `ln -s ~ site` in a pull request: CI's runner has a home folder full of tokens.
    home = outside
    commit_link(repo, "site", str(home))
    before = tree(home)
    proc = run_sipctl(
        "render", "--format", "html", "--out", "site", cwd=repo.path, env={"HOME": str(home)}
    )
    assert proc.returncode == 2 and "it is a symbolic link" in proc.stderr
    assert tree(home) == before


def test_editor_and_schema_refuse_a_link_named_like_their_out(repo: GitRepo, outside: Path) -> None:
    commit_link(repo, "site", str(outside))
    commit_link(repo, "admin", str(outside))
    commit_link(repo, "schemas", "../outside")
    before = tree(outside)
    code, _, err = sipctl_in(repo, "editor", "--out", "site/admin", "--backend-repo", "a/b")
    assert code == 2
    assert err.startswith(f"error: refusing to write into site/admin: {repo.path / 'site'} on")
    code, _, err = sipctl_in(repo, "editor", "--backend-repo", "a/b")  # the default: admin
    assert code == 2 and "it is a symbolic link" in err
    code, _, err = sipctl_in(repo, "schema", "--out", "schemas")
    assert code == 2
    assert err.startswith("error: refusing to write into schemas: it is a symbolic link\n")
    assert tree(outside) == before


def test_a_link_inside_out_to_outside_gets_no_page(repo: GitRepo, outside: Path) -> None:
    (repo.path / "site").mkdir()
    commit_link(repo, "site/2022-23", "../../outside/2022-23")
    before = tree(outside)
    code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", "site")
    assert code == 2 and "refusing to write" in err and "outside" in err
    assert tree(outside) == before


@pytest.mark.parametrize("link", ["schools", "schemas", ".github/workflows"])
def test_init_never_writes_through_a_link_out(repo: GitRepo, outside: Path, link: str) -> None:
    if (repo.path / link).exists():
        os.rename(repo.path / link, repo.path.parent / "moved-away")
    commit_link(repo, link, str(outside))
    before = tree(outside)
    code, _, err = sipctl_in(repo, "init", "birch", "--cycle", "2022-23", "--force")
    if link != "schools":  # a district's kit and schemas are kept as they are: not written
        assert code == 0, err
    else:
        assert code == 2 and err.startswith(f"error: refusing to write {repo.path / link}"), err
    assert tree(outside) == before


def test_fmt_never_rewrites_a_document_through_a_link_out(repo: GitRepo, outside: Path) -> None:
    # Not in canonical form: `fmt` would rewrite it if it followed the link.
    (outside / "levers.yaml").write_text(header("priority-levers").replace(": ", ":   ", 1))
    (repo.path / LEVERS).unlink()
    commit_link(repo, LEVERS, str(outside / "levers.yaml"))
    before = tree(outside)
    for args in (["fmt"], ["fmt", LEVERS]):
        code, _, err = sipctl_in(repo, *args)
        assert code == 1
        assert f"{LEVERS}: cannot format: it is a link to a file outside the district" in err
    assert tree(outside) == before


def test_render_never_deletes_or_writes_what_its_manifest_names_outside(
    repo: GitRepo, outside: Path
) -> None:
    # The manifest of --out lists pages render wrote; a forged one names paths out of
    # --out, with their true hashes, as if render had written them.
    out = repo.path.parent / "site"
    key = hashlib.sha256(os.fsencode(out.resolve())).hexdigest()[:32]
    digest = hashlib.sha256((outside / "precious.txt").read_bytes()).hexdigest()
    forged = {
        "../outside/precious.txt": digest,
        str(outside / "precious.txt"): digest,
        "../../outside/index.html": digest,
        "2022-23/../../outside/precious.txt": digest,
    }
    manifest = repo.path / ".git" / "sipctl" / "render" / f"{key}.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"version": 2, "out": str(out.resolve()), "files": forged}))
    before = tree(outside)
    for _ in range(2):  # the second render replaces its own pages, and deletes nothing
        code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", out, "--as-of", AS_OF)
        assert code == 0, err
    assert tree(outside) == before
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "2022-23",
        "2022-23/index.html",
        "2022-23/maple.html",
        "2022-23/oak.html",
        "calendar",
        "calendar/2022-23",
        "calendar/2022-23.ics",
        "calendar/2022-23/maple.ics",
        "calendar/2022-23/oak.ics",
        "index.html",
    ]


# --- .git/sipctl that is not a folder ---------------------------------------------------------
KINDS = {"link": "a symbolic link", "fifo": "a FIFO (named pipe)", "file": "a file"}


def _plant(place: Path, kind: str, outside: Path) -> None:
    place.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link":
        place.symlink_to(outside, target_is_directory=True)
    elif kind == "fifo":
        os.mkfifo(place)
    else:
        place.write_text("a file where sipctl's folder belongs\n")


@pytest.mark.parametrize("kind", ["link", "fifo", "file"])
@pytest.mark.parametrize("where", [".git/sipctl", ".git/sipctl/history"])
def test_a_history_cache_folder_that_is_not_a_folder_is_left_alone_with_a_note(
    repo: GitRepo, outside: Path, kind: str, where: str
) -> None:
    check = ["check", "--as-of", AS_OF, "--format", "json"]
    plain = run_sipctl("--no-history-cache", *check, cwd=repo.path, timeout=60)
    assert plain.returncode == 1, plain.stderr
    _plant(repo.path / where, kind, outside)
    planted = tree(repo.path / where)
    before = tree(outside)
    for _ in range(2):  # the second run would read what the first one kept
        code, out, _ = sipctl_in(repo, *check)
        assert code == 1
        report = json.loads(out)
        assert report["findings"] == json.loads(plain.stdout)["findings"]
        assert report["notes"] == [
            f"{repo.path / where} is {KINDS[kind]}, not a folder, so the history cache "
            "was neither read nor written there and the whole history was read again "
            "(slower, same result); remove it to let sipctl keep its cache"
        ]
    # render keeps its manifest there too: it goes without, and says so
    code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", repo.path.parent / "s")
    assert code == 0, err
    if where == ".git/sipctl":
        assert "could not keep the list of pages render wrote" in err
    assert tree(outside) == before
    assert tree(repo.path / where) == planted


def test_a_render_manifest_folder_that_links_out_is_never_written_or_pruned(
    repo: GitRepo, outside: Path
) -> None:
    # render forgets the manifests of folders rendered long ago: never in a linked folder
    (repo.path / ".git" / "sipctl").mkdir()
    for n in range(40):
        (outside / f"{n:032x}.json").write_text("{}\n")
    _plant(repo.path / ".git" / "sipctl" / "render", "link", outside)
    before = tree(outside)
    code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", repo.path.parent / "s")
    assert code == 0
    assert "render wrote (" + str(repo.path / ".git/sipctl/render") + " is a symbolic link" in err
    assert tree(outside) == before


# --- sipctl edit's folder ----------------------------------------------------------------------
def test_the_editors_folder_in_git_is_never_written_through_a_link(
    repo: GitRepo, outside: Path
) -> None:
    from sipctl.errors import SipctlError
    from sipctl.git.edit_worktree import EditPlace, find_edit_place, open_edit_worktree
    from sipctl.git.own_folder import UnusableFolder
    from sipctl.services.decap_server import _new_log
    from sipctl.services.edit import _only_session

    before = tree(outside)
    edit = repo.path / ".git" / "sipctl" / "edit"
    _plant(edit, "link", outside)
    with pytest.raises(UnusableFolder, match="edit is a symbolic link, not a folder"):
        find_edit_place(repo.path)
    edit.unlink()
    place = find_edit_place(repo.path)
    assert place.folder == edit and edit.is_dir() and not edit.is_symlink()
    # Its worktree linking to another work tree (whose files a clean would delete)
    (edit / "worktree").symlink_to(outside)
    with pytest.raises(SipctlError, match="worktree is a symbolic link"):
        open_edit_worktree(EditPlace(place.root, place.top, place.head, None, edit))
    # The session's lock and decap-server's log, each a link to a file not there yet
    (edit / "lock").symlink_to(outside / "made-by-lock")
    with pytest.raises(SipctlError, match="cannot lock"), _only_session(edit):
        pass
    (edit / "decap-server.log").symlink_to(outside / "precious.txt")
    with pytest.raises(SipctlError, match="cannot write"):
        _new_log(edit / "decap-server.log")
    assert tree(outside) == before


def test_a_forged_staging_journal_in_out_moves_or_deletes_nothing_outside(
    repo: GitRepo, outside: Path
) -> None:
    # render finishes the moves a killed render left in --out (family 7); --out can hold
    # anything a pull request commits, so such a journal is trusted no further than --out.
    site = repo.path / "site"
    forged = site / ".sipctl-staging-000000000001"
    forged.mkdir(parents=True)
    (forged / ".file.a.tmp").write_text("<p>forged</p>\n")
    (forged / "journal.json").write_text(
        json.dumps({"version": 1, "moves": [[".file.a.tmp", "../outside/precious.txt"]]})
    )
    absolute = site / ".sipctl-staging-000000000002"
    absolute.mkdir()
    (absolute / ".file.b.tmp").write_text("<p>forged</p>\n")
    (absolute / "journal.json").write_text(
        json.dumps({"version": 1, "moves": [[".file.b.tmp", str(outside / "index.html")]]})
    )
    (site / ".sipctl-staging-000000000003").symlink_to(outside)  # a link: not ours, kept
    linked = site / ".sipctl-staging-000000000004"
    linked.mkdir()
    (linked / ".file.c.tmp").write_text("<p>forged</p>\n")
    (linked / "journal.json").write_text(
        json.dumps({"version": 1, "moves": [[".file.c.tmp", "2022-23/maple.html"]]})
    )
    (linked / "escape").symlink_to(outside)  # removing the folder removes the link only
    commit_link(repo, "site/2022-23", str(outside / "2022-23"))
    before = tree(outside)
    code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", "site")
    assert code == 2
    assert err.startswith("error: refusing to write site/2022-23/maple.html: it is outside site")
    assert tree(outside) == before
    (site / "2022-23").unlink()
    # Inside --out, the forged move lands (as a committed page would), and render will
    # not replace a page it did not write; the journals naming paths out are dropped.
    code, _, err = sipctl_in(repo, "render", "--format", "html", "--out", "site")
    assert code == 2
    assert "site already has files that render did not write: 2022-23/maple.html" in err
    assert tree(outside) == before
    assert sorted(p.name for p in site.iterdir()) == [".sipctl-staging-000000000003", "2022-23"]
    assert (site / "2022-23" / "maple.html").read_text() == "<p>forged</p>\n"
