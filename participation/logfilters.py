"""Logging filters that keep children's data out of logs."""

import logging
import re

# A query string: from "?" up to the next space or quote (the end of the URL in a request line).
QUERY_STRING = re.compile(r"\?[^\s\"']*")


def without_query_string(text: str) -> str:
    return QUERY_STRING.sub("", text)


class DropQueryStrings(logging.Filter):
    """Removes query strings from a request log line (Django's development server logs
    '"GET /c/x/young-people/?q=Sam HTTP/1.1" 200 512'): searches carry children's names."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = without_query_string(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                without_query_string(a) if isinstance(a, str) else a for a in record.args
            )
        return True
