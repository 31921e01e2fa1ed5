class FileProblem(Exception):
    """The file cannot be used: a message, and the line and column when they are known.
    ``code``: the message's machine code, ``parts``: what it is made of (``messages.Message``)."""

    def __init__(self, message: str, line: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code: str = getattr(message, "code", "")
        self.parts: tuple = getattr(message, "parts", ())
        self.line = line
        self.column = column
