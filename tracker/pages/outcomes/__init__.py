"""Results and returns from the dossier page: the department's packet back, and why a dossier ends unprocessed."""
