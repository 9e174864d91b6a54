"""The sources pane at 80 columns: paths shortened in the middle, not broken mid-word."""

from __future__ import annotations

from askurbact.tui.app import AskUrbactApp
from askurbact.tui.widgets.sources import SourcesPane

from ..helpers import ask


async def test_paths_and_sections_fit_the_pane(settings):
    app = AskUrbactApp(settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(app, pilot, "Who is the mayor of Seoul?")
        pane = app.screen.query_one(SourcesPane)
        listing = app.screen.query_one("#sources-list")
        lines = [listing.render_line(y).text for y in range(listing.size.height)]
        places = [line.strip() for line in lines if ".md:" in line]
        assert len(places) == len(pane.items) == 2
        for place, item in zip(places, pane.items):
            assert place != item.where and "\u2026" in place  # too long for 28 columns: shortened...
            head, tail = place.split("\u2026")
            assert item.where.startswith(head) and item.where.endswith(tail)  # ...in the middle
            assert tail.endswith(f".md:{item.lines[0]}")  # the line stays
        assert not any(line.strip().startswith("y-scene.md") for line in lines)  # no path broken in two
        assert all(line.startswith(" ") for line in lines if line.strip())  # entries are padded
