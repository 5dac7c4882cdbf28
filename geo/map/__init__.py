"""The map: folium/Leaflet elements, popups, the offline basemap and assets, snapshots."""
