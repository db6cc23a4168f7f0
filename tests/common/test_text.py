"""The one renderer of staff-edited text: what the home page, the guidelines, the
directory's intro and each group's description show."""

from common.text import render_page_text


def test_paragraphs_headings_lists_and_links():
    html = render_page_text(
        "## Who can propose\n\nMembers of the council.\nAnd their staff.\n\n"
        "- Meet monthly\n- See [the rules](https://rules.example/x)\n\n"
        "Read [the code](http://example.org/coc)."
    )
    assert html == (
        "<h2>Who can propose</h2>\n"
        "<p>Members of the council.<br>And their staff.</p>\n"
        '<ul><li>Meet monthly</li><li>See <a href="https://rules.example/x">the rules</a></li></ul>\n'
        '<p>Read <a href="http://example.org/coc">the code</a>.</p>'
    )


def test_nothing_typed_is_trusted_as_html_and_only_web_links_become_links():
    html = render_page_text(
        '<script>alert(1)</script> [x](javascript:alert(1)) [y](https://a.example/"onmouseover=)'
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert '"onmouseover' not in html


def test_blank_text_renders_nothing():
    assert render_page_text("") == ""
    assert render_page_text("\n\n  \n") == ""
