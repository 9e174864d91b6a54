"""The widgets of the chat screen, one file each."""
