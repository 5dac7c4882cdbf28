"""From a parsed text to mentions of places, people and dates, and ties of people to places."""
