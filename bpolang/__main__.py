"""`python -m bpolang` runs the `bpo` command."""

from bpolang.cli import main

if __name__ == "__main__":
    main(prog_name="bpo")
