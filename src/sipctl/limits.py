"""Limits on what sipctl reads, in a module of their own: the git reader needs them
without the YAML loader."""

# Plan documents are 2-20 KB; 1 MiB leaves room for long narratives while a
# multi-megabyte file is a mistake (or an attack) and is refused unread.
MAX_FILE_BYTES = 1024 * 1024
