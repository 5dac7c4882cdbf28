"""Reading documents: bytes to text (decoding, limits) and the readers of each format.

``geo.text.documents`` is the one way in: the CLI's export and batch and the dashboard all read through it.
"""
