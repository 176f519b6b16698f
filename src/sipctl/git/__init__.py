"""Everything that starts git or reads its output (the sources layer).

`process` is the one place a git process starts; the other modules read through it:
`log_walk` (the one `git log` walk and the `cat-file --batch` blob reader), `subtrees`
(a few schools' commits from their folders' tree ids), `changes` (files changed since a
revision), `revisions` (plan files at named revisions), `worktree` (where the repository's
top is, HEAD's time), `history` (the audit trail built from a walk), `history_cache` (the
last walk kept in `.git/sipctl/`) and `history_child` (the walk read in a child process).
"""
