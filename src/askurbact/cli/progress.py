"""`index`'s progress bar on stderr: files and passages done, rate, time left. Rich is
imported here, when the bar is shown, and nowhere else in the command line, so that a
one-off `ask` never pays for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def index_progress(color: bool) -> Iterator[Callable[[int, int, str, int], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class FileRate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:,.0f} files/s" if task.speed else "", style="progress.data.speed")

    console = Console(stderr=True, no_color=not color, highlight=False)
    bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(), TextColumn("files,"),
                   TextColumn("{task.fields[passages]:,} passages"), FileRate(), TimeRemainingColumn(),
                   console=console, transient=True)
    task = bar.add_task("reading", total=None, passages=0)

    def update(done: int, total: int, what: str, passages: int) -> None:
        if not bar.live.is_started and not total and what != "writing":
            return  # nothing to read: no bar for an update that does nothing
        bar.update(task, completed=done, total=total or None, passages=passages,
                   description=what if what in ("writing", "embedding") else "reading")
        if not bar.live.is_started:
            bar.start()

    try:
        yield update
    finally:
        bar.stop()
