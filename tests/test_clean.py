"""HTML to clean text: a real parser, furniture and scripts left out, hostile input survived."""

from bot.ingest.clean import html_to_text, inline_text


def test_paragraphs_survive_and_inline_markup_goes():
    html = "<p>Rusland <b>beweert</b> dit.</p><p>Kiev&nbsp;ontkent&amp;zwijgt.</p>"
    assert html_to_text(html) == "Rusland beweert dit.\n\nKiev ontkent&zwijgt."


def test_scripts_styles_and_furniture_blocks_are_dropped():
    html = (
        "<article><p>The strike hit at night.</p>"
        "<script>track()</script><style>p{}</style>"
        '<div class="social-share">Share on X</div><aside>More from us</aside>'
        '<div id="newsletter-box"><p>Sign up for our newsletter</p></div>'
        "<p>Read more: an unrelated story</p><p>Lees ook: iets anders</p>"
        "<p>The governor confirmed it.</p></article>"
    )
    assert html_to_text(html) == "The strike hit at night.\n\nThe governor confirmed it."


def test_deeply_nested_html_does_not_exhaust_the_stack():
    html = "<div>" * 10_000 + "deep text" + "</div>" * 10_000
    assert html_to_text(html) == "deep text"


def test_oversized_hostile_html_is_cut_before_parsing():
    html = "<p>kept</p>" + "<div>" * 200_000 + "beyond the cap" + "</div>" * 200_000
    assert html_to_text(html) == "kept"


def test_inline_text_flattens_and_caps_a_hostile_title():
    title = "<script>alert(1)</script><img src=x onerror=alert(2)>Kramatorsk <b>hit</b>" + " x" * 400
    cleaned = inline_text(title, limit=100)
    assert cleaned.startswith("Kramatorsk hit x")
    assert "<" not in cleaned and "alert" not in cleaned and len(cleaned) <= 100


def test_plain_text_is_left_alone():
    assert html_to_text("A plain summary, no markup") == "A plain summary, no markup"


class _Counting:
    """A compiled pattern's stand-in that counts substitutions (a cost, counted, never timed)."""

    def __init__(self, pattern) -> None:
        self.pattern, self.subs = pattern, 0

    def sub(self, *args):
        self.subs += 1
        return self.pattern.sub(*args)


def test_attributes_are_read_only_in_fragments_that_carry_a_class_or_id(monkeypatch):
    from bot.ingest import clean

    reads = []
    real = clean._is_furniture
    monkeypatch.setattr(clean, "_is_furniture", lambda node: reads.append(node.tag) or real(node))
    assert html_to_text("<p>The bridge was <b>hit</b> twice.</p><p>Nobody was hurt.</p>") == \
        "The bridge was hit twice.\n\nNobody was hurt."
    assert reads == []
    marked = ('<p>Kept.</p><DIV CLASS = "share-row">Share this</DIV><p/id=promo-box>Buy now</p>'
              "<p data-x=1>Also kept.</p>")
    assert html_to_text(marked) == "Kept.\n\nAlso kept."
    assert reads


def test_only_lines_with_tabs_hard_spaces_or_double_spaces_are_squeezed(monkeypatch):
    from bot.ingest import clean

    counting = _Counting(clean._SPACES)
    monkeypatch.setattr(clean, "_SPACES", counting)
    assert html_to_text("<p>One line of plain words.</p><p>And a second one.</p>") == \
        "One line of plain words.\n\nAnd a second one."
    assert counting.subs == 0
    assert html_to_text("<p>Tabs\tand&nbsp;hard  spaces.</p>") == "Tabs and hard spaces."
    assert counting.subs == 1


def test_a_fragment_without_any_attribute_is_not_searched_for_a_class_or_id(monkeypatch):
    from bot.ingest import clean

    searched = []
    real = clean._MARKED
    monkeypatch.setattr(clean, "_MARKED", type("Spy", (), {"search": lambda self, text: searched.append(text) or
                                                            real.search(text)})())
    assert html_to_text("<p>Plain <i>markup</i>.</p><ul><li>no attributes</li></ul>") == \
        "Plain markup.\n\nno attributes"
    assert searched == []
    assert html_to_text('<p>Kept.</p><div class="share">Share</div>') == "Kept."
    assert len(searched) == 1


def test_a_tidy_text_is_checked_for_untidy_spaces_once_not_line_by_line(monkeypatch):
    from bot.ingest import clean

    checked = []
    real = clean._untidy
    monkeypatch.setattr(clean, "_untidy", lambda text: checked.append(text) or real(text))
    assert html_to_text("".join(f"<p>Paragraph {n}.</p>" for n in range(6))) == \
        "\n\n".join(f"Paragraph {n}." for n in range(6))
    assert len(checked) == 1
    assert html_to_text("<p>One.</p><p>Two\tthree.</p>") == "One.\n\nTwo three."
