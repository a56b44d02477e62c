"""Every sentence pyspf can end an evaluation with has a code (issue 14): read from pyspf's
own source, so an upgrade that adds a message fails here instead of leaking English words
into a Japanese report."""

from __future__ import annotations

import ast
import inspect
import warnings

import pytest
import spf

from mailauth.i18n import label
from mailauth.message.spftrace import SpfProblemCode, pyspf_problem

_RAISERS = {"PermError", "TempError", "note_error"}


def _messages() -> list[str]:
    """The first argument of every PermError(...)/TempError(...)/note_error(...) in pyspf
    that is a string literal or a %-format of one (its %d/%s filled with a sample)."""
    found = []
    with warnings.catch_warnings():  # pyspf's source has a regex in a plain string
        warnings.simplefilter("ignore", DeprecationWarning)
        tree = ast.parse(inspect.getsource(spf))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name not in _RAISERS:
            continue
        first = node.args[0]
        if isinstance(first, ast.BinOp) and isinstance(first.op, ast.Mod):
            first = first.left
        if isinstance(first, ast.BinOp) and isinstance(first.op, ast.Add):
            first = first.left  # 'DNS ' + str(x)
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append(first.value.replace("%d", "10").replace("%s", "example.com"))
    return sorted(set(found))


MESSAGES = _messages()


def test_pyspf_source_was_read() -> None:
    assert len(MESSAGES) > 20
    assert "Too many DNS lookups" in MESSAGES


@pytest.mark.parametrize("message", MESSAGES)
def test_every_pyspf_message_has_a_code(message: str) -> None:
    problem = pyspf_problem(message, "ip4:192.0.2.0/33")
    assert problem is not None, f"pyspf message without a code: {message!r}"
    assert problem.code is not SpfProblemCode.OTHER
    japanese = label(f"verify.spf-problem.{problem.code.value}", "ja", **problem.params)
    assert "{" not in japanese
    assert any(ord(c) > 0x3000 for c in japanese)


def test_words_no_code_matches_are_quoted_not_lost() -> None:
    assert pyspf_problem("something pyspf 9 may say") is None
