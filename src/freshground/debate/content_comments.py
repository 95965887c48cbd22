"""Content kinds this part registers with core.content."""


def register() -> None:
    pass
