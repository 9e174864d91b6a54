"""The screens of the chat: the conversation (with its ask state) and the passage view."""
