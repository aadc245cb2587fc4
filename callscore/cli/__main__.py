"""``python -m callscore.cli``: the same as the ``callscore`` command."""

from callscore.cli import main

main()
