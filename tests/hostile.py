"""Hostile input shared by the tests of every form that takes text (the proposal form, the
comment forms, the directory listing): the Hypothesis settings, the text, and a rollback
so that each example starts from the same database."""

import contextlib

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextlib.contextmanager
def rolled_back():
    """Each Hypothesis example starts from the same empty database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Text that includes what breaks naive code: control characters (NUL included), format
# characters, right-to-left marks, combining marks, astral-plane emoji, HTML and Markdown.
nasty_text = st.one_of(
    st.text(),
    st.text(st.characters(codec="utf-8", max_codepoint=0x2FF)),
    st.text(alphabet=st.sampled_from("\x00\x01\x1b\x7f\u200b\u202e\ufeff\u0301<>&\"'#\n\r\t ")),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 4500)),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "## Forged group\n\nhttps://evil.example",
            "\x00",
            "a\x00b",
            "   ",
            "\U0001f600" * 200,
        ]
    ),
)
