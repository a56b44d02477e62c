"""Verify a message: DKIM, ARC, SPF and DMARC with explanations (`mailauth verify`)."""

from mailauth.message.parse import MessageInputError, ParsedMessage, parse_message
from mailauth.message.report import MessageReport
from mailauth.message.verify import VerifyOptions, verify_message

__all__ = [
    "MessageInputError",
    "MessageReport",
    "ParsedMessage",
    "VerifyOptions",
    "parse_message",
    "verify_message",
]
