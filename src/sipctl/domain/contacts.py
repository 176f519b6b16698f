"""Who a school's reminders go to, and what counts as an email address.

The check rule `contact-missing` and `sipctl remind` read the same profile fields
through this module, so a school that check says is reachable is one remind writes
to, and an address remind refuses is one check has already named.

An address is checked by syntax only, on purpose (no DNS, no mail sent): one `@`, a
local part and a domain, no spaces, line breaks or control characters, and a dot in
the domain (`name@school` is a typo for a district's mail). Python's
`email.headerregistry.Address` parses it, so what passes here is what the message
headers will hold. A line break in an address or a name could add a header to the
message (header injection); it is refused here and again when the message is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address

from sipctl.models.district import SchoolProfile

# Control characters (line breaks included), spaces and DEL.
_FORBIDDEN = frozenset(chr(c) for c in range(33)) | {"\x7f"}


def address_problem(text: str) -> str | None:
    """Why `text` is not an email address, or None when it is one."""
    if any(ch in _FORBIDDEN for ch in text):
        return "it holds a space, a line break or another character an address cannot have"
    if text.count("@") != 1:
        return "an address has exactly one @"
    local, domain = text.split("@")
    if not local or not domain:
        return "an address has a name before the @ and a domain after it"
    if "." not in domain.strip(".") or ".." in domain:
        return "the domain after the @ needs a dot, as in school.org"
    try:
        parsed = Address(addr_spec=text)
    except (HeaderParseError, ValueError, IndexError):
        return "it is not a valid email address"
    if parsed.addr_spec != text:  # e.g. a (comment) the header would silently drop
        return "it is not a valid email address"
    return None


def clean_name(text: str | None) -> str:
    """A display name safe for a header: line breaks and control characters become spaces."""
    if not text:
        return ""
    return " ".join("".join(" " if ch in _FORBIDDEN else ch for ch in text).split())


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str


@dataclass(frozen=True)
class ContactGap:
    """A person remind cannot write to: where (a data path of school.yaml) and why."""

    path: tuple[str | int, ...]
    who: str
    problem: str  # "has no email address", "...: it is not ..."


def principal(profile: SchoolProfile) -> Recipient | None:
    email = profile.principal.email
    if email is None or address_problem(email) is not None:
        return None
    return Recipient(clean_name(profile.principal.name), email)


def tlt_members(profile: SchoolProfile) -> list[Recipient]:
    return [
        Recipient(clean_name(m.name), m.email)
        for m in profile.tlt
        if m.email is not None and address_problem(m.email) is None
    ]


def contact_gaps(profile: SchoolProfile) -> list[ContactGap]:
    """Every person of the profile without a usable address, in file order."""
    people: list[tuple[tuple[str | int, ...], str, str | None]] = [
        (("principal",), "the principal", profile.principal.email)
    ]
    for index, member in enumerate(profile.tlt):
        name = clean_name(member.name) or member.id
        people.append((("tlt", index), f"TLT member {member.id} ({name})", member.email))
    gaps = []
    for path, who, email in people:
        if email is None or _placeholder(email):
            gaps.append(ContactGap((*path, "email"), who, "has no email address"))
            continue
        problem = address_problem(email)
        if problem is not None:
            gaps.append(ContactGap((*path, "email"), who, f"has {email!r} as email: {problem}"))
    return gaps


def _placeholder(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.upper().startswith(("TODO", "TBD"))
