"""The platform layer every app builds on: no domain models, imports no app of the portal."""
