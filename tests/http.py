"""Small helpers for reading test-client responses."""


def response_body(response) -> bytes:
    """The whole body of a response, streamed (CSV exports, downloads) or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content
