"""The typed contract model (pydantic v2) and its builder from syntax."""
