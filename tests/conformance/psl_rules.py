"""The Public Suffix List algorithm (publicsuffix.org/list "Formal algorithm"), test-side only.

mailauth itself does not use the PSL (RFC 9989 replaced it with the DNS Tree Walk). The PSL
runner uses this to build, from the vendored list snapshot, the DNS tree a world would have if
every public suffix published `psd=y`, and checks it against the PSL's own test vectors first.
Names are handled as lower-case A-labels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import idna


@dataclass(frozen=True)
class Rules:
    exact: frozenset[str]
    wildcard: frozenset[str]  # "*.ck" stored as "ck"
    exception: frozenset[str]  # "!www.ck" stored as "www.ck"

    @classmethod
    def load(cls, path: Path) -> Rules:
        exact, wildcard, exception = set(), set(), set()
        for raw in path.read_text(encoding="utf-8").splitlines():
            line = raw.strip().split()[0] if raw.strip() else ""
            if not line or line.startswith("//"):
                continue
            if line.startswith("!"):
                exception.add(_alabel(line[1:]))
            elif line.startswith("*."):
                wildcard.add(_alabel(line[2:]))
            else:
                exact.add(_alabel(line))
        return cls(frozenset(exact), frozenset(wildcard), frozenset(exception))

    def public_suffix(self, name: str) -> str:
        """The public suffix of `name` under the prevailing rule (default rule `*`)."""
        labels = name.split(".")
        best = 1  # the default rule "*" matches the last label
        for i in range(len(labels)):
            suffix = ".".join(labels[i:])
            n = len(labels) - i
            if suffix in self.exception:
                return ".".join(labels[i + 1 :])  # an exception rule prevails outright
            if suffix in self.exact:
                best = max(best, n)
            if i > 0 and suffix in self.wildcard:
                best = max(best, n + 1)
        return ".".join(labels[-best:])

    def registrable_domain(self, name: str) -> str | None:
        """eTLD+1, or None when `name` is itself a public suffix."""
        suffix = self.public_suffix(name)
        if suffix == name:
            return None
        return ".".join(name.split(".")[-(suffix.count(".") + 2) :])

    def is_public_suffix(self, name: str) -> bool:
        return self.public_suffix(name) == name


def _alabel(rule: str) -> str:
    if rule.isascii():
        return rule.lower()
    return ".".join(
        label if label.isascii() else idna.encode(label, uts46=True).decode("ascii")
        for label in rule.split(".")
    ).lower()
