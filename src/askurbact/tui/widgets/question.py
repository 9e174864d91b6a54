"""The question field: an Input that submits at Enter in the order keys arrive.

Textual runs an Input's Enter binding once the key has gone up from the field to the app,
and the field may meanwhile have taken the keys typed (or pasted) after it: "What is
AutoGen?" then, fast, "next" was submitted as "What is AutoGen?next". Handled in the
field's own queue, Enter submits what the field held when it was pressed; later keys stay
in the field for the next question.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class QuestionInput(Input):
    async def on_key(self, event: events.Key) -> None:
        # Runs after Input's own key handling, in the field's queue: in the order keys came.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
