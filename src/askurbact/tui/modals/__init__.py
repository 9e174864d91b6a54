"""The dialogs that open over the chat, one file each."""
