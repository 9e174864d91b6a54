"""Text that fits its width: shortened with an ellipsis, never broken mid-word."""

from __future__ import annotations

from rich.console import Console

from askurbact.tui.fitting import Fitted, shorten_middle

PATH = "social-innovation-behind-the-city-scene.md:96"


def test_a_path_is_shortened_in_the_middle_keeping_its_line():
    short = shorten_middle(PATH, 24)
    assert len(short) == 24 and "\u2026" in short
    assert PATH.startswith(short.split("\u2026")[0]) and short.endswith("scene.md:96")
    assert shorten_middle(PATH, 100) == PATH
    assert shorten_middle("日本語のファイル名.md:3", 10).endswith("md:3")


def test_the_longest_form_that_fits():
    fitted = Fitted("2026-12-01 14:05 \u00b7 3 questions", "2026-12-01 14:05")
    assert fitted.fit(40).plain == "2026-12-01 14:05 \u00b7 3 questions"
    assert fitted.fit(20).plain == "2026-12-01 14:05"
    assert fitted.fit(10).plain == "2026-12-0\u2026"
    console = Console(width=24, record=True)
    console.print(Fitted(PATH, middle=True))
    assert console.export_text().strip() == shorten_middle(PATH, 24)
