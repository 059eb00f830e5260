"""Generate docs/cli.md from the commands' own `--help`: `python -m kb.cli_docs > docs/cli.md`.

A test checks the file is up to date, so the docs never drift from the code.
"""

from __future__ import annotations

import click


def _walk(cmd: click.Command, path: list[str]):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in sorted(cmd.list_commands(click.Context(cmd))):
            yield from _walk(cmd.get_command(click.Context(cmd), name), path + [name])


def render() -> str:
    from kb.cli import main

    out = ["# Command line reference", "",
           "Generated from `--help` by `python -m kb.cli_docs` (`make docs`); do not edit by hand.", ""]
    for path, cmd in _walk(main, ["tilskudd"]):
        ctx = click.Context(cmd, info_name=" ".join(path), terminal_width=100, max_content_width=100)
        out += [f"## `{' '.join(path)}`", "", "```", cmd.get_help(ctx).rstrip(), "```", ""]
    return "\n".join(out)


if __name__ == "__main__":
    print(render(), end="")
