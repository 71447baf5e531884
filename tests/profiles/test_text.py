import logging

from profiles.text import clean_text, normalise_profile, truncate_at_word


def test_clean_text_removes_only_nul():
    assert clean_text("a\x00b 🙂\u202e\t") == "ab 🙂\u202e\t"


def test_clean_text_normalises_line_endings():
    assert clean_text("one\r\ntwo\rthree\n\r\nfour") == "one\ntwo\nthree\n\nfour"


def test_truncate_keeps_short_text():
    assert truncate_at_word("short text", 20) == "short text"


def test_truncate_cuts_at_last_word_boundary():
    assert truncate_at_word("alpha beta gamma", 12) == "alpha beta"
    assert truncate_at_word("alpha beta gamma", 10) == "alpha beta"


def test_truncate_cuts_one_huge_word_hard():
    assert truncate_at_word("a" * 50, 10) == "a" * 10


def test_normalise_strips_removes_nul_and_cuts_to_4000(caplog):
    text = "  " + "word\x00 " * 1000 + "  "

    with caplog.at_level(logging.INFO, logger="profiles.text"):
        result = normalise_profile(text)

    assert len(result) <= 4000
    assert "\x00" not in result
    assert result == result.strip()
    assert result.endswith("word")
    assert "Profile cut from 4999 to 3999 characters" in caplog.text
