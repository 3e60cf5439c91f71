"""One module per CLI command; each exposes ``run`` (or a typer sub-app) and imports heavy modules lazily."""
