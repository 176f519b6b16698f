"""Limits on what sipctl reads, in a module of their own: the git reader needs them
without the YAML loader."""

# Plan documents are 2-20 KB; 1 MiB leaves room for long narratives while a
# multi-megabyte file is a mistake (or an attack) and is refused unread.
MAX_FILE_BYTES = 1024 * 1024

# Plans are about school years. A date outside these years is a typo (0202 for 2022) or
# an attack, and dates near the ends of Python's calendar (years 1 and 9999) overflow the
# day and timezone arithmetic of deadlines and calendars; so they are refused where they
# are read, in plan documents, cycle files and `--as-of`.
FIRST_YEAR = 1900
LAST_YEAR = 2199

# Numbers in plans are percentages, scores, dollars and counts of people: a trillion is
# more than any of them, and keeps sums and the day arithmetic of `warning_days` exact.
MAX_NUMBER = 10**12
