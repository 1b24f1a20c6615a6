"""Exceptions the engine raises for bad input."""


class EngineInputError(ValueError):
    """Input the engine cannot use; the message names the source, line and problem."""
