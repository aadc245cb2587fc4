"""callscore: offline scoring of recorded customer-service calls.

Importing the package is cheap: models and heavy libraries load on first use.
"""

__version__ = "0.1.0"
