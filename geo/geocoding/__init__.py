"""Place names to coordinates: the offline gazetteer or an online service, cached; choosing by context."""
