"""Countries and regions: Natural Earth polygons, clusters of places, named macro-regions."""
