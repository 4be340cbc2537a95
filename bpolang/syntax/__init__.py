"""Lexing and parsing .bpo text into a syntax tree with spans and comments."""
