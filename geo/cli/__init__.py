"""The command line: ``python -m geo COMMAND``."""
