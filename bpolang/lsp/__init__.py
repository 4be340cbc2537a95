"""The bpolang language server: `bpo lsp`."""
