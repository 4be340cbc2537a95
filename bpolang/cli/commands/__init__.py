"""One module per `bpo` command: each parses its options and calls a library function."""
